#!/usr/bin/env python3
"""Slow, silent and too many clients against examples/web_server.cpp.

usage: test_slow_clients.py PATH/TO/example_web_server

Loopback only, bounded in time (a watchdog stops everything after 60 s; the
run takes about 15 s) and in count (at most ~450 sockets at once):
  1. the attack: 200 connections that send nothing and 200 that send one byte
     of a request head per second are held open while two clients time
     ordinary requests (fresh connections and keep-alive); every one must be
     answered within 100 ms, and the attackers must still be connected at the
     end (the server holds them; it does not win by dropping them). Then
     SIGTERM with the attackers still there: exit 0 well within the shutdown
     deadline;
  2. out of descriptors: a server whose RLIMIT_NOFILE is 64 gets 150
     connections; it must not spin (CPU time while they wait), must say so
     on stderr exactly once, and must answer again once they leave;
  3. the connection cap: with --max-connections 10, the 11th connection gets
     503 at once;
  4. SIGTERM under load: 8 clients keep sending requests, on fresh and on
     keep-alive connections; every request sent before the signal must be
     answered, and the server's count must equal the answers received.
Python 3 standard library only.
"""
import errno
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"
WATCHDOG_S = 60
SILENT = 200
SLOW = 200
PROBE_THREADS = 2
PROBES_PER_THREAD = 250
LATENCY_LIMIT_S = 0.100

failures = []
failures_lock = threading.Lock()
servers = []


def fail(msg):
    with failures_lock:
        failures.append(msg)
    print("FAIL:", msg, flush=True)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


def start_server(binary, *args, nofile=None):
    def limit():
        if nofile is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
    server = subprocess.Popen([binary, "--port", "0", *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, preexec_fn=limit)
    servers.append(server)
    line = server.stdout.readline()
    m = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", line)
    if not m:
        raise RuntimeError("unexpected first line %r" % line)
    return server, int(m.group(1))


def stop_server(server, limit_s):
    """SIGTERM; returns (seconds to exit, stdout, stderr)."""
    t0 = time.monotonic()
    server.send_signal(signal.SIGTERM)
    try:
        out, err = server.communicate(timeout=limit_s)
    except subprocess.TimeoutExpired:
        fail("server did not exit within %.1f s of SIGTERM" % limit_s)
        server.kill()
        out, err = server.communicate()
    return time.monotonic() - t0, out, err


def read_response(sock):
    """One response from a raw socket: (status, headers, body), or None if
    the connection closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        rest += chunk
    return int(lines[0].split(" ")[1]), headers, rest[:length]


def still_open(sock):
    """True if the server has neither closed nor reset `sock`."""
    timeout = sock.gettimeout()
    sock.settimeout(0)  # else Python waits for readability before recv
    try:
        return sock.recv(1) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.settimeout(timeout)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------
# 1. Silent and byte-a-second clients held while ordinary requests are timed
# ---------------------------------------------------------------------------

def attack(binary):
    # A head deadline longer than the test: the attackers stay the whole time.
    server, port = start_server(binary, "--threads", "4",
                                "--head-timeout-ms", "60000",
                                "--max-connections", "2048")
    silent = [socket.create_connection((HOST, port), timeout=5)
              for _ in range(SILENT)]
    slow = [socket.create_connection((HOST, port), timeout=5)
            for _ in range(SLOW)]
    head = b"GET / HTTP/1.1\r\nX-Slow: " + b"a" * 100
    stop_dripping = threading.Event()

    def drip():
        i = 0
        while not stop_dripping.is_set() and i < len(head):
            for s in slow:
                try:
                    s.send(head[i:i + 1])
                except OSError:
                    pass
            i += 1
            stop_dripping.wait(1.0)

    dripper = threading.Thread(target=drip)
    dripper.start()
    time.sleep(1.0)  # every attacker accepted, a byte or two sent

    latencies = []
    lat_lock = threading.Lock()

    def probe(tid):
        keep = None
        mine = []
        try:
            for i in range(PROBES_PER_THREAD):
                fresh = i % 2 == 0
                t0 = time.monotonic()
                if fresh:
                    s = socket.create_connection((HOST, port), timeout=5)
                    s.sendall(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                else:
                    if keep is None:
                        keep = socket.create_connection((HOST, port), timeout=5)
                    s = keep
                    s.sendall(b"GET / HTTP/1.1\r\n\r\n")
                r = read_response(s)
                elapsed = time.monotonic() - t0
                if fresh:
                    s.close()
                mine.append(elapsed)
                check(r is not None and r[0] == 200,
                      "probe %d.%d: got %r" % (tid, i, r))
                check(elapsed < LATENCY_LIMIT_S,
                      "probe %d.%d (%s): answered in %.1f ms" %
                      (tid, i, "fresh" if fresh else "keep-alive", elapsed * 1000))
                time.sleep(0.01)
        except OSError as e:
            fail("probe %d: %r" % (tid, e))
        finally:
            if keep is not None:
                keep.close()
            with lat_lock:
                latencies.extend(mine)

    t0 = time.monotonic()
    probes = [threading.Thread(target=probe, args=(t,)) for t in range(PROBE_THREADS)]
    for t in probes:
        t.start()
    for t in probes:
        t.join()
    probe_s = time.monotonic() - t0
    latencies.sort()
    if check(len(latencies) == PROBE_THREADS * PROBES_PER_THREAD,
             "only %d probes completed" % len(latencies)):
        pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
        print("attack: %d silent + %d byte-a-second connections held; %d ordinary "
              "requests in %.1f s: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
              % (SILENT, SLOW, len(latencies), probe_s, pct(0.5) * 1000,
                 pct(0.99) * 1000, latencies[-1] * 1000), flush=True)

    held = sum(still_open(s) for s in silent + slow)
    check(held == SILENT + SLOW,
          "attack: only %d of %d attackers still connected" % (held, SILENT + SLOW))

    # Stopping with the attackers attached: silent ones are closed at once,
    # byte-a-second ones after a short grace (with a 408), well before the
    # 5 s shutdown deadline.
    seconds, out, _ = stop_server(server, 10)
    stop_dripping.set()
    dripper.join()
    check(server.returncode == 0, "attack: exit code %d" % server.returncode)
    check(seconds < 2.5, "attack: SIGTERM took %.2f s with attackers attached" % seconds)
    print("attack: exit %d %.2f s after SIGTERM with %d attackers attached"
          % (server.returncode, seconds, SILENT + SLOW), flush=True)
    for s in silent + slow:
        s.close()


# ---------------------------------------------------------------------------
# 2. Out of file descriptors
# ---------------------------------------------------------------------------

def out_of_descriptors(binary):
    server, port = start_server(binary, "--threads", "2",
                                "--head-timeout-ms", "20000", nofile=64)
    conns = []
    for _ in range(150):
        try:
            conns.append(socket.create_connection((HOST, port), timeout=5))
        except OSError as e:
            fail("out of descriptors: connect failed: %r" % e)
            break
    time.sleep(0.3)
    cpu0 = cpu_seconds(server.pid)
    time.sleep(1.5)
    spent = cpu_seconds(server.pid) - cpu0
    closed = sum(not still_open(s) for s in conns)
    print("out of descriptors: %d of %d connections closed at once; %.2f s of CPU "
          "in 1.5 s" % (closed, len(conns), spent), flush=True)
    check(spent < 0.3, "out of descriptors: %.2f s of CPU in 1.5 s (spinning?)" % spent)
    check(closed > 0, "out of descriptors: no connection shed")
    for s in conns:
        s.close()
    time.sleep(0.3)
    with socket.create_connection((HOST, port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        r = read_response(s)
        check(r is not None and r[0] == 200,
              "out of descriptors: not answering after they left: %r" % (r,))
    _, out, err = stop_server(server, 10)
    check(server.returncode == 0, "out of descriptors: exit code %d" % server.returncode)
    reports = err.count("out of file descriptors")
    check(reports == 1, "out of descriptors: reported %d times: %r" % (reports, err))
    check("connections at once: out of file descriptors" in out,
          "out of descriptors: no count at exit: %r" % out)


# ---------------------------------------------------------------------------
# 3. The connection cap
# ---------------------------------------------------------------------------

def connection_cap(binary):
    server, port = start_server(binary, "--max-connections", "10")
    held = [socket.create_connection((HOST, port), timeout=5) for _ in range(10)]
    time.sleep(0.2)
    with socket.create_connection((HOST, port), timeout=5) as s:
        t0 = time.monotonic()
        r = read_response(s)
        if check(r is not None, "cap: the 11th connection got no answer"):
            check(r[0] == 503 and r[1].get("connection") == "close",
                  "cap: the 11th connection got %r" % (r,))
        check(time.monotonic() - t0 < 0.5, "cap: the 503 took long")
    for s in held:
        s.close()
    time.sleep(0.2)
    with socket.create_connection((HOST, port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        r = read_response(s)
        check(r is not None and r[0] == 200, "cap: not answering below the cap: %r" % (r,))
    _, out, _ = stop_server(server, 10)
    check(server.returncode == 0, "cap: exit code %d" % server.returncode)
    check("refused 1 connections" in out, "cap: exit report %r" % out)


# ---------------------------------------------------------------------------
# 4. SIGTERM under load
# ---------------------------------------------------------------------------

def shutdown_under_load(binary):
    server, port = start_server(binary, "--threads", "4")
    sig_time = [None]
    lock = threading.Lock()
    answered = [0]
    lost = []

    def client(cid):
        keep = None
        i = 0
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            fresh = keep is None and i % 2 == 0
            try:
                if fresh:
                    s = socket.create_connection((HOST, port), timeout=5)
                else:
                    s = keep or socket.create_connection((HOST, port), timeout=5)
                    keep = s
            except ConnectionRefusedError:
                return  # the listener is closed: the server stopped accepting
            try:
                s.sendall(b"GET / HTTP/1.1\r\n\r\n" if not fresh else
                          b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                sent = time.monotonic()
                r = read_response(s)
            except OSError:
                sent, r = time.monotonic(), None
            if r is not None and r[0] == 200:
                with lock:
                    answered[0] += 1
            else:
                with lock:
                    # Sent before the signal: the server had received it.
                    if sig_time[0] is None or sent < sig_time[0]:
                        lost.append((cid, i, "fresh" if fresh else "keep-alive"))
            if fresh or r is None or r[1].get("connection") == "close":
                s.close()
                if not fresh:
                    keep = None
            i += 1
        if keep is not None:
            keep.close()

    clients = [threading.Thread(target=client, args=(c,)) for c in range(8)]
    for t in clients:
        t.start()
    time.sleep(1.0)
    with lock:
        sig_time[0] = time.monotonic()
    seconds, out, _ = stop_server(server, 10)
    for t in clients:
        t.join()
    m = re.search(r"served (\d+) requests", out)
    served = int(m.group(1)) if m else -1
    print("SIGTERM under load: %d requests answered, exit %d after %.2f s, "
          "server counted %d" % (answered[0], server.returncode, seconds, served),
          flush=True)
    check(server.returncode == 0, "SIGTERM under load: exit code %d" % server.returncode)
    check(not lost, "SIGTERM under load: %d requests sent before the signal "
          "got no answer: %r" % (len(lost), lost[:5]))
    check(served == answered[0],
          "SIGTERM under load: the server counted %d, clients got %d answers"
          % (served, answered[0]))


def main():
    binary = sys.argv[1]
    def on_watchdog():
        fail("watchdog: test took longer than %d s" % WATCHDOG_S)
        for s in servers:
            s.kill()
        os._exit(1)
    watchdog = threading.Timer(WATCHDOG_S, on_watchdog)
    watchdog.daemon = True
    watchdog.start()
    # The attack holds ~450 sockets; the default soft limit is often 1024.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2048 and (hard == resource.RLIM_INFINITY or hard >= 2048):
        resource.setrlimit(resource.RLIMIT_NOFILE, (2048, hard))
    start = time.monotonic()
    try:
        attack(binary)
        out_of_descriptors(binary)
        connection_cap(binary)
        shutdown_under_load(binary)
    except Exception as e:  # noqa: BLE001 -- any error is a failure
        fail("%r" % e)
    finally:
        watchdog.cancel()
        for s in servers:
            if s.poll() is None:
                s.kill()
                s.wait()
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("slow clients: all checks passed in %.1f s" % (time.monotonic() - start))


if __name__ == "__main__":
    main()
