#!/usr/bin/env python3
"""Drives examples/web_server.cpp on loopback and checks every answer.

usage: test_web_server.py PATH/TO/example_web_server

Starts the server on an ephemeral 127.0.0.1 port, then:
  1. 8 concurrent keep-alive clients x 200 requests (GET /, POST /echo,
     GET of an unknown path), each response checked, one connection each;
  2. bad input: malformed request lines, targets, header fields and
     Content-Lengths (400), a head over 8 KiB (431), a body over 1 MiB (413),
     a chunked body (501), an unsupported method (405), empty lines before
     the request line (ignored), a client that stops
     mid-request (408 after the head deadline) and one that sends nothing
     (closed) -- while those wait, the server must keep answering others;
  3. pipelined requests on one connection;
  4. /stats must count exactly the requests answered;
  5. SIGTERM with a request in progress: that request is still answered,
     then the server exits 0 and reports the same count.
Python 3 standard library only; loopback only; bounded (the whole run takes
a few seconds, and a watchdog kills everything after 25 s).
"""
import http.client
import re
import signal
import socket
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"
CLIENTS = 8
REQUESTS_PER_CLIENT = 200
DEADLINE_MS = 1000  # --head-timeout-ms and --body-timeout-ms
WATCHDOG_S = 25

failures = []
failures_lock = threading.Lock()


def fail(msg):
    with failures_lock:
        failures.append(msg)
    print("FAIL:", msg, flush=True)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


def read_response(sock):
    """Reads one response from a raw socket: (status, headers dict, body).
    Returns None if the connection closed before a response arrived."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest[:length], rest[length:]


def raw_exchange(port, payload, timeout=5.0):
    """Sends `payload` on a fresh connection and returns the first response
    (or None if the server closed without one)."""
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        s.sendall(payload)
        r = read_response(s)
        return None if r is None else r[:3]


def client(port, cid, served):
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    first_sock = None
    try:
        for i in range(REQUESTS_PER_CLIENT):
            kind = i % 3
            if kind == 0:
                conn.request("GET", "/")
                expect_status, expect_body = 200, b"hello from sendsync\n"
            elif kind == 1:
                body = ("client %d request %d" % (cid, i)).encode()
                conn.request("POST", "/echo", body=body)
                expect_status, expect_body = 200, body
            else:
                conn.request("GET", "/missing/%d" % i)
                expect_status = 404
                expect_body = ("not found: /missing/%d\n" % i).encode()
            resp = conn.getresponse()
            body = resp.read()
            served[cid] += 1
            check(resp.status == expect_status and body == expect_body,
                  "client %d request %d: got %d %r" % (cid, i, resp.status, body))
            check(resp.getheader("Connection") == "keep-alive",
                  "client %d request %d: not keep-alive" % (cid, i))
            if first_sock is None:
                first_sock = conn.sock
            check(conn.sock is first_sock,
                  "client %d request %d: connection not reused" % (cid, i))
    except Exception as e:  # noqa: BLE001 -- any client error is a failure
        fail("client %d: %r" % (cid, e))
    finally:
        conn.close()


def main():
    binary = sys.argv[1]
    server = subprocess.Popen(
        [binary, "--port", "0", "--threads", "4",
         "--head-timeout-ms", str(DEADLINE_MS),
         "--body-timeout-ms", str(DEADLINE_MS)],
        stdout=subprocess.PIPE, text=True)
    watchdog = threading.Timer(WATCHDOG_S, lambda: (
        fail("watchdog: test took longer than %d s" % WATCHDOG_S),
        server.kill()))
    watchdog.daemon = True
    watchdog.start()
    try:
        line = server.stdout.readline()
        m = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", line)
        if not m:
            fail("unexpected first line %r" % line)
            return
        port = int(m.group(1))
        answered = 0

        # 1. Concurrent keep-alive clients.
        start = time.monotonic()
        served = [0] * CLIENTS
        threads = [threading.Thread(target=client, args=(port, c, served))
                   for c in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        answered += sum(served)
        print("%d requests from %d concurrent clients in %.2f s"
              % (sum(served), CLIENTS, time.monotonic() - start), flush=True)

        # 2. Bad input. The slow and the silent client are started first and
        # stay pending while the others are answered: one stalled client must
        # not stall the server.
        slow_result = {}

        def slow_client():
            t0 = time.monotonic()
            slow_result["response"] = raw_exchange(
                port, b"GET / HTTP/1.1\r\nHost: x\r\n")  # never finishes
            slow_result["seconds"] = time.monotonic() - t0

        def silent_client():
            with socket.create_connection((HOST, port), timeout=5) as s:
                t0 = time.monotonic()
                slow_result["silent_eof"] = s.recv(1) == b""
                slow_result["silent_seconds"] = time.monotonic() - t0

        pending = [threading.Thread(target=slow_client),
                   threading.Thread(target=silent_client)]
        for t in pending:
            t.start()
        time.sleep(0.1)

        # (name, request, expected status, whether the server closes after it)
        cases = [
            ("malformed request line", b"GARBAGE\r\n\r\n", 400, True),
            ("unknown version", b"GET / HTTP/9.9\r\n\r\n", 400, True),
            ("header without colon", b"GET / HTTP/1.1\r\nbad header\r\n\r\n", 400, True),
            ("bad Content-Length",
             b"POST /echo HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400, True),
            ("head over 8 KiB",
             b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431, True),
            ("endless head", b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 2000, 431, True),
            ("body over 1 MiB",
             b"POST /echo HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", 413, True),
            ("wrong method", b"DELETE / HTTP/1.1\r\n\r\n", 405, False),
            ("unknown path", b"GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n", 404, True),
            ("HTTP/1.0 closes by default", b"GET / HTTP/1.0\r\n\r\n", 200, True),
            ("empty lines before the request line",
             b"\r\n\r\nGET / HTTP/1.1\r\nConnection: close\r\n\r\n", 200, True),
            ("chunked body", b"POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked"
             b"\r\n\r\n0\r\n\r\n", 501, True),
            ("lower-case method", b"get / HTTP/1.1\r\n\r\n", 400, True),
            ("target without a slash", b"GET index.html HTTP/1.1\r\n\r\n", 400, True),
            ("two spaces in the request line", b"GET  / HTTP/1.1\r\n\r\n", 400, True),
            ("NUL in the target", b"GET /\x00 HTTP/1.1\r\n\r\n", 400, True),
            ("binary garbage", bytes(range(256)) + b"\r\n\r\n", 400, True),
            ("space before the colon", b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, True),
            ("two Content-Lengths", b"POST /echo HTTP/1.1\r\nContent-Length: 1\r\n"
             b"Content-Length: 1\r\n\r\nx", 400, True),
            ("negative Content-Length",
             b"POST /echo HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400, True),
            ("Content-Length past 64 bits", b"POST /echo HTTP/1.1\r\n"
             b"Content-Length: 99999999999999999999999\r\n\r\n", 413, True),
            ("empty body", b"POST /echo HTTP/1.1\r\nContent-Length: 0\r\n"
             b"Connection: close\r\n\r\n", 200, True),
        ]
        for name, payload, expect, closes in cases:
            t0 = time.monotonic()
            r = raw_exchange(port, payload)
            answered += 1
            if check(r is not None, "%s: no response" % name):
                check(r[0] == expect, "%s: got %d, expected %d" % (name, r[0], expect))
                check((r[1].get("connection") == "close") == closes,
                      "%s: Connection: %s" % (name, r[1].get("connection")))
            check(time.monotonic() - t0 < 0.5 * DEADLINE_MS / 1000,
                  "%s: answered slowly (stalled behind the slow clients?)" % name)

        for t in pending:
            t.join()
        answered += 1  # the slow client's 408
        r = slow_result.get("response")
        if check(r is not None, "slow client: no response"):
            check(r[0] == 408, "slow client: got %d, expected 408" % r[0])
        check(0.8 <= slow_result.get("seconds", 0) < 3,
              "slow client: timed out after %.2f s" % slow_result.get("seconds", -1))
        check(slow_result.get("silent_eof") is True and
              0.8 <= slow_result.get("silent_seconds", 0) < 3,
              "silent client: not closed after the head deadline")

        # 3. Pipelining: two requests in one write, two responses in order.
        with socket.create_connection((HOST, port), timeout=5) as s:
            s.sendall(b"GET / HTTP/1.1\r\n\r\n"
                      b"POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\npong")
            buffered = b""
            got = []
            for _ in range(2):
                data = buffered
                while b"\r\n\r\n" not in data:
                    data += s.recv(65536)
                head, rest = data.split(b"\r\n\r\n", 1)
                length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
                while len(rest) < length:
                    rest += s.recv(65536)
                got.append((int(head.split(b" ")[1]), rest[:length]))
                buffered = rest[length:]
            answered += 2
            check(got == [(200, b"hello from sendsync\n"), (200, b"pong")],
                  "pipelining: got %r" % got)

        # 4. The counter counts every answered request, /stats included.
        answered += 1
        r = raw_exchange(port, b"GET /stats HTTP/1.1\r\n\r\n")
        if check(r is not None and r[0] == 200, "/stats: %r" % (r,)):
            m = re.match(rb"requests: (\d+)\n", r[2])
            count = int(m.group(1)) if m else -1
            check(count == answered,
                  "/stats: counted %d requests, %d were answered" % (count, answered))
            print("/stats after %d requests:\n%s" % (answered, r[2].decode()),
                  end="", flush=True)

        # 5. Graceful shutdown: a request in progress when SIGTERM arrives is
        # still answered (with Connection: close), then the server exits 0.
        with socket.create_connection((HOST, port), timeout=5) as s:
            s.sendall(b"POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nab")
            time.sleep(0.2)
            server.send_signal(signal.SIGTERM)
            time.sleep(0.2)
            s.sendall(b"cde")
            r = read_response(s)
            answered += 1
            if check(r is not None, "in-flight request: no response"):
                check(r[0] == 200 and r[2] == b"abcde" and
                      r[1].get("connection") == "close",
                      "in-flight request: got %r" % (r[:3],))
        try:
            out, _ = server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            fail("server did not exit after SIGTERM")
            server.kill()
            out, _ = server.communicate()
        check(server.returncode == 0, "server exit code %d" % server.returncode)
        check("served %d requests" % answered in out,
              "server output %r, expected 'served %d requests'" % (out, answered))
    finally:
        watchdog.cancel()
        if server.poll() is None:
            server.kill()
            server.wait()

    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("web server: %d requests answered, all correct, clean shutdown"
          % answered)


if __name__ == "__main__":
    main()
