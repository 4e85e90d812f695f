//! Pool scenarios (the names of bench/runtime/pool.cpp) for rayon.


use crate::harness::{black_box, time_ns, Registry};

const POOL_THREADS: usize = 2;
const FANOUT_WIDTH: usize = 64;

/// The same small task as pool.cpp: 16 dependent multiply-adds.
#[inline]
fn small_task(i: u64) {
    let mut x = i;
    for _ in 0..16 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    }
    black_box(x);
}

/// rayon's idiom for "run these n tasks, wait for all": a scope whose body
/// spawns them (the body runs on a pool worker, so spawns go to that
/// worker's deque and the other worker steals).
fn run_all(pool: &rayon::ThreadPool, first: u64, n: usize) {
    pool.scope(|s| {
        for i in 0..n as u64 {
            s.spawn(move |_| small_task(first + i));
        }
    });
}

fn new_pool() -> rayon::ThreadPool {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(POOL_THREADS).build().unwrap();
    run_all(&pool, 0, FANOUT_WIDTH);
    pool
}

pub fn register(reg: &mut Registry) {
    let note = "rayon::ThreadPool scope + spawn";
    reg.case("pool", "throughput", "rayon", note, |a| {
        let pool = new_pool();
        time_ns(|| run_all(&pool, 0, a.ops)) / a.ops as f64
    });
    reg.case("pool", "fanout-64", "rayon", note, |a| {
        let pool = new_pool();
        time_ns(|| {
            for r in 0..a.ops {
                run_all(&pool, (r * FANOUT_WIDTH) as u64, FANOUT_WIDTH);
            }
        }) / a.ops as f64
    });
}
