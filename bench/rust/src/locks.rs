//! Lock scenarios (the names of bench/runtime/locks.cpp) for
//! std::sync::{Mutex, RwLock} and parking_lot.


use crate::harness::{black_box, run_parallel, OpsFn, Registry};

/// increment() under the exclusive lock, read() under the shared one.
pub trait Lock: Default + Sync {
    fn increment(&self);
    fn read(&self) -> u64 {
        unreachable!("not a reader-writer lock")
    }
}

#[derive(Default)]
pub struct StdMutex(std::sync::Mutex<u64>);
impl Lock for StdMutex {
    fn increment(&self) {
        *self.0.lock().unwrap() += 1;
    }
}

#[derive(Default)]
pub struct PlMutex(parking_lot::Mutex<u64>);
impl Lock for PlMutex {
    fn increment(&self) {
        *self.0.lock() += 1;
    }
}

#[derive(Default)]
pub struct StdRwLock(std::sync::RwLock<u64>);
impl Lock for StdRwLock {
    fn increment(&self) {
        *self.0.write().unwrap() += 1;
    }
    fn read(&self) -> u64 {
        *self.0.read().unwrap()
    }
}

#[derive(Default)]
pub struct PlRwLock(parking_lot::RwLock<u64>);
impl Lock for PlRwLock {
    fn increment(&self) {
        *self.0.write() += 1;
    }
    fn read(&self) -> u64 {
        *self.0.read()
    }
}

fn increments<L: Lock>(ops: usize, threads: usize) -> f64 {
    let lock = L::default();
    let lock = &lock;
    let per_thread = ops / threads;
    let bodies: Vec<Box<dyn FnOnce() + Send + '_>> = (0..threads)
        .map(|_| -> Box<dyn FnOnce() + Send + '_> {
            Box::new(move || {
                for _ in 0..per_thread {
                    lock.increment();
                }
            })
        })
        .collect();
    run_parallel(bodies) / ops as f64
}

fn reads<L: Lock>(ops: usize, threads: usize, write_every: usize) -> f64 {
    let lock = L::default();
    let lock = &lock;
    let per_thread = ops / threads;
    let bodies: Vec<Box<dyn FnOnce() + Send + '_>> = (0..threads)
        .map(|_| -> Box<dyn FnOnce() + Send + '_> {
            Box::new(move || {
                let mut sum = 0u64;
                for i in 0..per_thread {
                    if write_every != 0 && i % write_every == 0 {
                        lock.increment();
                    } else {
                        sum = sum.wrapping_add(lock.read());
                    }
                }
                black_box(sum);
            })
        })
        .collect();
    run_parallel(bodies) / ops as f64
}

fn add_mutex<L: Lock + 'static>(reg: &mut Registry, imp: &'static str, note: &'static str) {
    reg.case("lock", "uncontended", imp, note, |a| increments::<L>(a.ops, 1));
    reg.case("lock", "contended-2t", imp, note, |a| increments::<L>(a.ops, 2));
    reg.case("lock", "contended-4t", imp, note, |a| increments::<L>(a.ops, 4));
    reg.op("lock.lock_unlock", imp, |_| -> OpsFn {
        let lock = L::default();
        Box::new(move |n| {
            for _ in 0..n {
                lock.increment();
            }
        })
    });
}

fn add_rwlock<L: Lock + 'static>(reg: &mut Registry, imp: &'static str, note: &'static str) {
    reg.case("rwlock", "read-1t", imp, note, |a| reads::<L>(a.ops, 1, 0));
    reg.case("rwlock", "read-2t", imp, note, |a| reads::<L>(a.ops, 2, 0));
    reg.case("rwlock", "mixed-4t", imp, note, |a| reads::<L>(a.ops, 4, 10));
    reg.op("rwlock.read", imp, |_| -> OpsFn {
        let lock = L::default();
        Box::new(move |n| {
            let mut sum = 0u64;
            for _ in 0..n {
                sum = sum.wrapping_add(lock.read());
            }
            black_box(sum);
        })
    });
    reg.op("rwlock.write", imp, |_| -> OpsFn {
        let lock = L::default();
        Box::new(move |n| {
            for _ in 0..n {
                lock.increment();
            }
        })
    });
}

pub fn register(reg: &mut Registry) {
    add_mutex::<StdMutex>(reg, "rust-std", "std::sync::Mutex");
    add_mutex::<PlMutex>(reg, "parking-lot", "parking_lot::Mutex");
    add_rwlock::<StdRwLock>(reg, "rust-std", "std::sync::RwLock");
    add_rwlock::<PlRwLock>(reg, "parking-lot", "parking_lot::RwLock");
}
