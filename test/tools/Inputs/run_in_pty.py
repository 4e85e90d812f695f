"""Runs a command with its stderr on a pseudo-terminal and prints what it
wrote there, with carriage returns shown as <CR>: run_in_pty.py CMD [ARGS...].

sendsync-tidy draws its progress line only on a terminal."""
import os
import pty
import subprocess
import sys

master, slave = pty.openpty()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
chunks = []
while True:
    try:
        data = os.read(master, 4096)
    except OSError:
        break
    if not data:
        break
    chunks.append(data)
proc.wait()
sys.stdout.write(b"".join(chunks).decode("utf-8", "replace").replace("\r", "<CR>"))
sys.exit(proc.returncode)
