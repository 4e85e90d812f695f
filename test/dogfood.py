#!/usr/bin/env python3
"""Dogfood: the project's own runtime, tests, examples and tools must be
clean under every sendsync check. Runs sendsync-tidy's CI driver itself over
each of their translation units in the build's compile_commands.json
(headers under runtime/, include/ and tools/ included), with every finding an
error, and fails unless it exits 0.

usage: dogfood.py --tidy sendsync-tidy --build BUILD_DIR --root SOURCE_DIR [-j N]
"""
import argparse
import json
import os
import subprocess
import sys

OWN = ("test/runtime", "examples", "runtime", "tools")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tidy", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    root = os.path.realpath(args.root)
    with open(os.path.join(args.build, "compile_commands.json")) as f:
        entries = json.load(f)
    dirs = [os.path.join(root, d) + os.sep for d in OWN]
    files = sorted({os.path.realpath(e["file"]) for e in entries
                    if any(os.path.realpath(e["file"]).startswith(d) for d in dirs)})
    if not files:
        sys.exit("dogfood: no runtime, test, example or tool sources in the compile database")
    for d in OWN:
        print("%-14s %d files" % (d, sum(f.startswith(os.path.join(root, d) + os.sep) for f in files)))
    header_filter = "^%s/(runtime|include|examples|test/runtime|tools)/" % root
    cmd = [args.tidy, "-p", args.build, "-j", str(args.j), "--progress",
           "--checks=-*,sendsync-*", "--warnings-as-errors=*",
           "--header-filter=" + header_filter] + files
    rc = subprocess.run(cmd).returncode
    print("dogfood: sendsync-tidy exited %d over %d files" % (rc, len(files)))
    return 0 if rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
