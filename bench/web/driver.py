#!/usr/bin/env python3
"""The example web server against nginx, on loopback, in interleaved rounds.

usage: driver.py --server PATH/TO/example_web_server [--rounds N]
                 [--duration S] [--connections N] [--threads N]
                 [--out FILE.md] [--smoke]

bench/web/run installs nginx and wrk (Debian packages), builds the server and
runs this; see bench/web/README.md for what is measured and why.

Each round runs every case on both servers, one right after the other, the
order alternating from round to round:
  keep-alive     wrk, 2 threads, N connections, persistent connections;
  close          the same with "Connection: close" on every request (a new
                 TCP connection per request);
  attack         200 connections that send nothing and 200 that send one
                 byte of a request head per second are held open, then wrk
                 with 10 connections measures requests/s and the latency
                 distribution (p50, p99) of the ordinary requests.
Every figure is reported as the ratio of the example server to nginx in the
same round (median and range over the rounds), with the absolute values for
scale. Loopback only; bounded: rounds x 3 cases x 2 servers x duration, plus
about 1.5 s per attack to connect and drip.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HOST = "127.0.0.1"
BODY = "hello from sendsync\n"
SILENT = 200
SLOW = 200


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                data = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                if data.startswith(b"HTTP/1.1 200") and data.endswith(BODY.encode()):
                    return
                raise RuntimeError("port %d answered %r" % (port, data[:200]))
        except (ConnectionRefusedError, socket.timeout):
            time.sleep(0.05)
    raise RuntimeError("nothing answers on port %d" % port)


NGINX_CONF = """
worker_processes {workers};
daemon off;
master_process on;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  keepalive_requests 1000000;
  server_tokens off;
  server {{
    listen {host}:{port} backlog=4096;
    location = / {{
      default_type "text/plain; charset=utf-8";
      return 200 "{body}";
    }}
  }}
}}
"""


def start_nginx(workdir, workers):
    port = free_port()
    conf = os.path.join(workdir, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(workers=workers, dir=workdir, host=HOST,
                                  port=port, body=BODY.replace("\n", "\\n")))
    proc = subprocess.Popen(["nginx", "-p", workdir, "-c", conf, "-e",
                             os.path.join(workdir, "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for(port)
    return proc, port


def start_example(binary, threads):
    # The cap above the attack's 400 connections plus wrk's, as nginx's
    # worker_connections is.
    extra = ["--threads", str(threads)] if threads else []
    proc = subprocess.Popen([binary, "--port", "0", "--max-connections", "4096"] + extra,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", line)
    if not m:
        raise RuntimeError("example server printed %r" % line)
    port = int(m.group(1))
    wait_for(port)
    return proc, port


def stop(proc, name):
    proc.send_signal(signal.SIGTERM if name == "example" else signal.SIGQUIT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def to_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    return float(m.group(1)) * UNITS[m.group(2)]


def run_wrk(port, connections, duration, close=False, latency=False):
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", "%ds" % duration]
    if close:
        cmd += ["-H", "Connection: close"]
    if latency:
        cmd += ["--latency"]
    cmd.append("http://%s:%d/" % (HOST, port))
    out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                         timeout=duration + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    res = {"rps": rps}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                       r"timeout (\d+)", out)
    res["socket_errors"] = sum(map(int, errors.groups())) if errors else 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    res["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    if latency:
        for q in ("50", "99"):
            m = re.search(r"^\s+%s%%\s+(\S+)" % q, out, re.M)
            res["p" + q] = to_ms(m.group(1))
    return res


class Attack:
    """200 silent and 200 byte-a-second connections, held until stop()."""

    def __init__(self, port, silent, slow):
        self.silent = [socket.create_connection((HOST, port), timeout=5)
                       for _ in range(silent)]
        self.slow = [socket.create_connection((HOST, port), timeout=5)
                     for _ in range(slow)]
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.drip)
        self.thread.start()

    def drip(self):
        head = b"GET / HTTP/1.1\r\nX-Slow: " + b"a" * 200
        i = 0
        while not self.done.is_set() and i < len(head):
            for s in self.slow:
                try:
                    s.send(head[i:i + 1])
                except OSError:
                    pass
            i += 1
            self.done.wait(1.0)

    def held(self):
        n = 0
        for s in self.silent + self.slow:
            s.settimeout(0)
            try:
                n += s.recv(1) != b""
            except BlockingIOError:
                n += 1
            except OSError:
                pass
        return n

    def stop(self):
        self.done.set()
        self.thread.join()
        for s in self.silent + self.slow:
            s.close()


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True, help="example_web_server binary")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--threads", type=int, default=0,
                    help="the example's --threads (default: its own default, 4)")
    ap.add_argument("--nginx-workers", default="auto",
                    help="nginx's worker_processes (default: auto, one per CPU)")
    ap.add_argument("--out", default=None, help="results .md (and .json beside it)")
    ap.add_argument("--smoke", action="store_true",
                    help="1 round of 1 s per case, 20+20 attackers, no results file")
    ap.add_argument("--argv", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.smoke:
        args.rounds, args.duration = 1, 1
    silent, slow = (20, 20) if args.smoke else (SILENT, SLOW)

    workdir = tempfile.mkdtemp(prefix="sendsync-web-bench-")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start = loadavg()
    nginx, nginx_port = start_nginx(workdir, args.nginx_workers)
    example, example_port = start_example(args.server, args.threads)
    servers = {"example": example_port, "nginx": nginx_port}
    cases = ["keep-alive", "close", "attack"]
    rounds = []
    try:
        for r in range(args.rounds):
            order = ["example", "nginx"] if r % 2 == 0 else ["nginx", "example"]
            row = {}
            for case in cases:
                for name in order:
                    port = servers[name]
                    if case == "attack":
                        attack = Attack(port, silent, slow)
                        time.sleep(1.0)
                        res = run_wrk(port, 10, args.duration, latency=True)
                        res["attackers_held"] = attack.held()
                        attack.stop()
                    else:
                        res = run_wrk(port, args.connections, args.duration,
                                      close=case == "close")
                    row.setdefault(case, {})[name] = res
                    print("round %d %-10s %-7s %s" % (r + 1, case, name, json.dumps(res)),
                          flush=True)
            rounds.append(row)
    finally:
        stop(example, "example")
        stop(nginx, "nginx")
        shutil.rmtree(workdir, ignore_errors=True)
    load_end = loadavg()

    def ratios(case, key):
        return [row[case]["example"][key] / row[case]["nginx"][key] for row in rounds]

    def absolute(case, name, key):
        return statistics.median(row[case][name][key] for row in rounds)

    lines = []
    lines.append("| figure | example / nginx (median, range) | example | nginx |")
    lines.append("|---|---|---|---|")
    table = [("requests/s, keep-alive", "keep-alive", "rps", "%.0f"),
             ("requests/s, a connection per request", "close", "rps", "%.0f"),
             ("requests/s under attack", "attack", "rps", "%.0f"),
             ("p50 latency under attack (ms)", "attack", "p50", "%.3f"),
             ("p99 latency under attack (ms)", "attack", "p99", "%.3f")]
    summary = {}
    for label, case, key, fmt in table:
        rs = ratios(case, key)
        summary[label] = statistics.median(rs)
        lines.append("| %s | **%.2f** (%.2f-%.2f) | %s | %s |" % (
            label, statistics.median(rs), min(rs), max(rs),
            fmt % absolute(case, "example", key), fmt % absolute(case, "nginx", key)))
    errors = {name: sum(row[c][name]["socket_errors"] + row[c][name]["non_2xx"]
                        for row in rounds for c in cases) for name in servers}
    held = {name: min(row["attack"][name]["attackers_held"] for row in rounds)
            for name in servers}
    print("\n".join(lines))
    print("errors (socket errors + non-2xx): %s; attackers still held after each "
          "attack (min): %s" % (errors, held))

    # A benchmark that stops working fails (CI runs --smoke): the example
    # must answer every request and hold every attacker.
    broken = errors["example"] != 0 or held["example"] != silent + slow
    if broken:
        print("driver: the example server had errors or dropped attackers")
    if args.smoke or not args.out:
        return 1 if broken else 0
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    nginx_version = subprocess.run(["nginx", "-v"], capture_output=True,
                                   text=True).stderr.strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True,
                                 text=True).stdout.split(" [")[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--",
                            "examples/web_server.cpp", "examples/web_server"]).returncode
    md = []
    md.append("# The example web server against nginx\n")
    md.append("`bench/web/run%s` at %s%s on %s, %d CPUs (%s), %s, %s, load average "
              "%s at the start and %s at the end. %d interleaved rounds; every case runs "
              "%d s per server; the example with %s, nginx with "
              "`worker_processes %s`; wrk on the same machine (loopback). What is "
              "measured and why: [README.md](README.md).\n" % (
                  (" " + args.argv) if args.argv else "", commit,
                  " (with uncommitted changes to the server)" if dirty else "",
                  started, os.cpu_count(),
                  cpu, nginx_version, wrk_version, load_start, load_end,
                  args.rounds, args.duration,
                  "`--threads %d`" % args.threads if args.threads else "its defaults",
                  args.nginx_workers))
    md.extend(lines)
    md.append("")
    md.append("Requests/s: higher is better, so a ratio above 1 favours the example. "
              "Latency: lower is better, so a ratio below 1 favours it. The attack "
              "holds %d silent and %d byte-a-second connections while wrk runs "
              "with 10 connections; attackers still connected after each attack "
              "(fewest over the rounds): example %d, nginx %d of %d. Socket errors "
              "and non-2xx answers over the whole run: example %d, nginx %d.\n" % (
                  silent, slow, held["example"], held["nginx"], silent + slow,
                  errors["example"], errors["nginx"]))
    md.append("The targets of issue 18: at least 0.9x nginx's requests/s, and p99 "
              "under attack within 2x nginx's.\n")
    json_path = os.path.splitext(args.out)[0] + ".json"
    md.append("Every round's figures: [%s](%s)." % ((os.path.basename(json_path),) * 2))
    with open(args.out, "w") as f:
        f.write("\n".join(md) + "\n")
    with open(json_path, "w") as f:
        json.dump({"started": started, "load": [load_start, load_end],
                   "args": vars(args), "rounds": rounds, "summary": summary},
                  f, indent=1)
    print("wrote %s" % args.out)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
