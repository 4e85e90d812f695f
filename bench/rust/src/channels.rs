//! Channel scenarios (the names of bench/runtime/channels.cpp) for
//! crossbeam-channel, std::sync::mpsc and flume.

use std::sync::Mutex;

use crate::harness::{black_box, run_parallel, OpsFn, Registry, RunArgs};

/// An adapter, as in channels.cpp: `new(0)` is unbounded; `sender()` and
/// `receiver()` give one handle per thread.
pub trait Chan: Sync + Sized {
    type Tx: Tx;
    type Rx: Rx;
    fn new(capacity: usize) -> Self;
    fn sender(&self) -> Self::Tx;
    fn receiver(&self) -> Self::Rx;
}
pub trait Tx {
    fn send(&self, v: u64);
}
pub trait Rx {
    fn recv(&self) -> u64;
}

pub struct Crossbeam(crossbeam_channel::Sender<u64>, crossbeam_channel::Receiver<u64>);
impl Chan for Crossbeam {
    type Tx = crossbeam_channel::Sender<u64>;
    type Rx = crossbeam_channel::Receiver<u64>;
    fn new(capacity: usize) -> Self {
        let (tx, rx) = if capacity == 0 {
            crossbeam_channel::unbounded()
        } else {
            crossbeam_channel::bounded(capacity)
        };
        Crossbeam(tx, rx)
    }
    fn sender(&self) -> Self::Tx {
        self.0.clone()
    }
    fn receiver(&self) -> Self::Rx {
        self.1.clone()
    }
}
impl Tx for crossbeam_channel::Sender<u64> {
    fn send(&self, v: u64) {
        crossbeam_channel::Sender::send(self, v).unwrap();
    }
}
impl Rx for crossbeam_channel::Receiver<u64> {
    fn recv(&self) -> u64 {
        crossbeam_channel::Receiver::recv(self).unwrap()
    }
}

pub struct Flume(flume::Sender<u64>, flume::Receiver<u64>);
impl Chan for Flume {
    type Tx = flume::Sender<u64>;
    type Rx = flume::Receiver<u64>;
    fn new(capacity: usize) -> Self {
        let (tx, rx) = if capacity == 0 { flume::unbounded() } else { flume::bounded(capacity) };
        Flume(tx, rx)
    }
    fn sender(&self) -> Self::Tx {
        self.0.clone()
    }
    fn receiver(&self) -> Self::Rx {
        self.1.clone()
    }
}
impl Tx for flume::Sender<u64> {
    fn send(&self, v: u64) {
        flume::Sender::send(self, v).unwrap();
    }
}
impl Rx for flume::Receiver<u64> {
    fn recv(&self) -> u64 {
        flume::Receiver::recv(self).unwrap()
    }
}

/// std::sync::mpsc: channel() or sync_channel(n). The Receiver is single
/// consumer (neither Clone nor Sync), so it is handed out once and the
/// 1p4c scenarios are not registered. The original Sender sits behind a
/// Mutex only because Sender is not Sync before Rust 1.72 (Debian 12 has
/// 1.63); each thread clones its own, outside the timed loop.
pub enum MpscTx {
    Async(std::sync::mpsc::Sender<u64>),
    Sync(std::sync::mpsc::SyncSender<u64>),
}
pub struct Mpsc(Mutex<MpscTx>, Mutex<Option<std::sync::mpsc::Receiver<u64>>>);
pub struct MpscRx(std::sync::mpsc::Receiver<u64>);
impl Chan for Mpsc {
    type Tx = MpscTx;
    type Rx = MpscRx;
    fn new(capacity: usize) -> Self {
        if capacity == 0 {
            let (tx, rx) = std::sync::mpsc::channel();
            Mpsc(Mutex::new(MpscTx::Async(tx)), Mutex::new(Some(rx)))
        } else {
            let (tx, rx) = std::sync::mpsc::sync_channel(capacity);
            Mpsc(Mutex::new(MpscTx::Sync(tx)), Mutex::new(Some(rx)))
        }
    }
    fn sender(&self) -> Self::Tx {
        match &*self.0.lock().unwrap() {
            MpscTx::Async(tx) => MpscTx::Async(tx.clone()),
            MpscTx::Sync(tx) => MpscTx::Sync(tx.clone()),
        }
    }
    fn receiver(&self) -> Self::Rx {
        MpscRx(self.1.lock().unwrap().take().expect("std::sync::mpsc has one receiver"))
    }
}
impl Tx for MpscTx {
    fn send(&self, v: u64) {
        match self {
            MpscTx::Async(tx) => tx.send(v).unwrap(),
            MpscTx::Sync(tx) => tx.send(v).unwrap(),
        }
    }
}
impl Rx for MpscRx {
    fn recv(&self) -> u64 {
        self.0.recv().unwrap()
    }
}

fn throughput<C: Chan>(ops: usize, producers: usize, consumers: usize, capacity: usize) -> f64
where
    C::Tx: Send,
    C::Rx: Send,
{
    let chan = C::new(capacity);
    let per_producer = ops / producers;
    let per_consumer = ops / consumers;
    let chan = &chan;
    let mut bodies: Vec<Box<dyn FnOnce() + Send + '_>> = Vec::new();
    for _ in 0..producers {
        bodies.push(Box::new(move || {
            let tx = chan.sender();
            for i in 0..per_producer {
                tx.send(i as u64);
            }
        }));
    }
    for _ in 0..consumers {
        bodies.push(Box::new(move || {
            let rx = chan.receiver();
            let mut sum = 0u64;
            for _ in 0..per_consumer {
                sum = sum.wrapping_add(rx.recv());
            }
            black_box(sum);
        }));
    }
    run_parallel(bodies) / ops as f64
}

fn ping_pong<C: Chan>(rounds: usize, capacity: usize) -> f64
where
    C::Tx: Send,
    C::Rx: Send,
{
    let (ping, pong) = (C::new(capacity), C::new(capacity));
    let (ping, pong) = (&ping, &pong);
    // Both handles of each thread are taken before the release, so that the
    // single-consumer Receiver of std::sync::mpsc goes to the right thread.
    let (a_tx, a_rx) = (ping.sender(), pong.receiver());
    let (b_rx, b_tx) = (ping.receiver(), pong.sender());
    let bodies: Vec<Box<dyn FnOnce() + Send + '_>> = vec![
        Box::new(move || {
            for i in 0..rounds {
                a_tx.send(i as u64);
                black_box(a_rx.recv());
            }
        }),
        Box::new(move || {
            for _ in 0..rounds {
                b_tx.send(b_rx.recv());
            }
        }),
    ];
    run_parallel(bodies) / rounds as f64
}

fn add<C: Chan + 'static>(reg: &mut Registry, imp: &'static str, note: &'static str, multi_consumer: bool)
where
    C::Tx: Send + 'static,
    C::Rx: Send + 'static,
{
    for bounded in [true, false] {
        let kind = if bounded { "bounded" } else { "unbounded" };
        let cap = move |a: &RunArgs| if bounded { a.capacity } else { 0 };
        reg.case("channel", format!("1p1c-{kind}"), imp, note, move |a| {
            throughput::<C>(a.ops, 1, 1, cap(a))
        });
        reg.case("channel", format!("4p1c-{kind}"), imp, note, move |a| {
            throughput::<C>(a.ops, 4, 1, cap(a))
        });
        if multi_consumer {
            reg.case("channel", format!("1p4c-{kind}"), imp, note, move |a| {
                throughput::<C>(a.ops, 1, 4, cap(a))
            });
        }
        reg.case("channel", format!("pingpong-{kind}"), imp, note, move |a| {
            ping_pong::<C>(a.ops, cap(a))
        });
        reg.op(format!("channel.send_recv.{kind}"), imp, move |a| -> OpsFn {
            let chan = C::new(cap(a));
            let (tx, rx) = (chan.sender(), chan.receiver());
            Box::new(move |n| {
                let _keep = &chan;
                for i in 0..n {
                    tx.send(i as u64);
                    black_box(rx.recv());
                }
            })
        });
    }
}

pub fn register(reg: &mut Registry) {
    add::<Crossbeam>(reg, "crossbeam", "crossbeam-channel bounded / unbounded", true);
    add::<Mpsc>(reg, "rust-mpsc", "std::sync::mpsc sync_channel / channel (single consumer)", false);
    add::<Flume>(reg, "flume", "flume bounded / unbounded", true);
}
