//! sendsync-bench-rs: the Rust peers of bench/runtime (sendsync-bench),
//! with the same command line and the same JSON output:
//!
//!   sendsync-bench-rs list
//!   sendsync-bench-rs run --suite S --scenario X --impl I --ops N [--capacity C] [--reps R]
//!   sendsync-bench-rs ops --name X --impl I --n N [--capacity C]

mod channels;
mod harness;
mod locks;
mod pool;

use harness::{sendsync_bench_ops, Registry, RunArgs};

fn usage(why: &str) -> ! {
    eprintln!("sendsync-bench-rs: {why}\nusage: see bench/runtime/main.cpp (same command line)");
    std::process::exit(2);
}

#[derive(Default)]
struct Options {
    suite: String,
    scenario: String,
    imp: String,
    name: String,
    ops: usize,
    n: usize,
    capacity: usize,
    reps: usize,
}

fn parse(args: &[String]) -> Options {
    let mut o = Options { capacity: 256, reps: 3, ..Default::default() };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| usage("missing value after a flag"));
        let number = || value.parse::<usize>().unwrap_or_else(|_| usage("not a number"));
        match flag.as_str() {
            "--suite" => o.suite = value.clone(),
            "--scenario" => o.scenario = value.clone(),
            "--impl" => o.imp = value.clone(),
            "--name" => o.name = value.clone(),
            "--ops" => o.ops = number(),
            "--n" => o.n = number(),
            "--capacity" => o.capacity = number(),
            "--reps" => o.reps = number(),
            _ => usage("unknown flag"),
        }
    }
    o
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        usage("missing command");
    }
    let mut reg = Registry::default();
    channels::register(&mut reg);
    locks::register(&mut reg);
    pool::register(&mut reg);
    let o = parse(&args[2..]);
    match args[1].as_str() {
        "list" => {
            for c in &reg.cases {
                println!("case\t{}\t{}\t{}\t{}", c.suite, c.scenario, c.imp, c.note);
            }
            for c in &reg.ops {
                println!("op\t{}\t{}", c.name, c.imp);
            }
        }
        "run" => {
            let case = reg
                .cases
                .iter()
                .find(|c| c.suite == o.suite && c.scenario == o.scenario && c.imp == o.imp)
                .unwrap_or_else(|| usage("no such case (see `list`)"));
            if o.ops == 0 || o.reps == 0 {
                usage("--ops and --reps must be positive");
            }
            (case.run)(&RunArgs { ops: (o.ops / 10).max(4), capacity: o.capacity });
            let samples: Vec<f64> =
                (0..o.reps).map(|_| (case.run)(&RunArgs { ops: o.ops, capacity: o.capacity })).collect();
            let mut sorted = samples.clone();
            sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let list: Vec<String> = samples.iter().map(|s| format!("{s:.3}")).collect();
            println!(
                "{{\"suite\": \"{}\", \"scenario\": \"{}\", \"impl\": \"{}\", \"ops\": {}, \"ns_per_op\": {:.3}, \"samples\": [{}]}}",
                o.suite,
                o.scenario,
                o.imp,
                o.ops,
                sorted[sorted.len() / 2],
                list.join(", ")
            );
        }
        "ops" => {
            let case = reg
                .ops
                .iter()
                .find(|c| c.name == o.name && c.imp == o.imp)
                .unwrap_or_else(|| usage("no such op case (see `list`)"));
            let mut f = (case.prepare)(&RunArgs { ops: o.n, capacity: o.capacity });
            f(1000);
            sendsync_bench_ops(&mut *f, o.n);
        }
        _ => usage("unknown command"),
    }
}
