//! The Rust side of bench/runtime/harness.h: cases registered by name, a
//! parallel runner that times from a common release to the last finish, and
//! the out-of-line `sendsync_bench_ops` that callgrind counts.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

/// What one run is asked to do; the driver sets both, for C++ and Rust alike.
#[derive(Clone, Copy)]
pub struct RunArgs {
    pub ops: usize,
    pub capacity: usize,
}

pub type RunFn = Box<dyn Fn(&RunArgs) -> f64>;
pub type OpsFn = Box<dyn FnMut(usize)>;

pub struct Case {
    pub suite: &'static str,
    pub scenario: String,
    pub imp: &'static str,
    pub note: &'static str,
    /// Returns nanoseconds per operation of the timed part.
    pub run: RunFn,
}

pub struct OpCase {
    pub name: String,
    pub imp: &'static str,
    /// Makes fresh state outside the counted region and returns the loop.
    pub prepare: Box<dyn Fn(&RunArgs) -> OpsFn>,
}

#[derive(Default)]
pub struct Registry {
    pub cases: Vec<Case>,
    pub ops: Vec<OpCase>,
}

impl Registry {
    pub fn case(
        &mut self,
        suite: &'static str,
        scenario: impl Into<String>,
        imp: &'static str,
        note: &'static str,
        run: impl Fn(&RunArgs) -> f64 + 'static,
    ) {
        self.cases.push(Case { suite, scenario: scenario.into(), imp, note, run: Box::new(run) });
    }

    pub fn op(
        &mut self,
        name: impl Into<String>,
        imp: &'static str,
        prepare: impl Fn(&RunArgs) -> OpsFn + 'static,
    ) {
        self.ops.push(OpCase { name: name.into(), imp, prepare: Box::new(prepare) });
    }
}

/// Runs every body on its own thread, released together; returns the
/// nanoseconds from the release to the end of the last body (thread start-up
/// is not timed, as in the C++ harness).
pub fn run_parallel<'a>(bodies: Vec<Box<dyn FnOnce() + Send + 'a>>) -> f64 {
    let go = AtomicBool::new(false);
    let ready = AtomicUsize::new(0);
    let n = bodies.len();
    std::thread::scope(|s| {
        let mut handles = Vec::with_capacity(n);
        for body in bodies {
            let (go, ready) = (&go, &ready);
            handles.push(s.spawn(move || {
                ready.fetch_add(1, Ordering::Relaxed);
                while !go.load(Ordering::Acquire) {
                    std::thread::yield_now();
                }
                body();
            }));
        }
        while ready.load(Ordering::Relaxed) < n {
            std::thread::yield_now();
        }
        let start = Instant::now();
        go.store(true, Ordering::Release);
        for h in handles {
            h.join().expect("benchmark thread panicked");
        }
        start.elapsed().as_nanos() as f64
    })
}

/// Keeps `v` (and the work that produced it) from being optimised away, like
/// the C++ harness's do_not_optimize: an empty asm statement that takes it in
/// a register. (std::hint::black_box needs Rust 1.66; Debian 12 has 1.63.)
#[inline(always)]
pub fn black_box(v: u64) {
    unsafe { std::arch::asm!("/* {0} */", in(reg) v, options(nostack, preserves_flags)) }
}

/// Times `f()` on the calling thread, in nanoseconds.
pub fn time_ns(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_nanos() as f64
}

/// The only code callgrind counts (`--toggle-collect=sendsync_bench_ops`);
/// unmangled so that the C++ and the Rust binary share the name.
#[no_mangle]
#[inline(never)]
pub fn sendsync_bench_ops(f: &mut dyn FnMut(usize), n: usize) {
    f(n);
}
