#!/usr/bin/env python3
"""Dogfood: the project's own runtime, tests and examples must be clean under
every sendsync check. Runs the standalone driver over each of their
translation units in the build's compile_commands.json (headers under
runtime/ and include/ included) and fails on any finding.

usage: dogfood.py --tidy sendsync-tidy --build BUILD_DIR --root SOURCE_DIR
"""
import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


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
    dirs = [os.path.join(root, d) + os.sep for d in ("test/runtime", "examples", "runtime")]
    files = sorted({os.path.realpath(e["file"]) for e in entries
                    if any(os.path.realpath(e["file"]).startswith(d) for d in dirs)})
    if not files:
        sys.exit("dogfood: no runtime, test or example sources in the compile database")
    header_filter = "^%s/(runtime|include|examples|test/runtime)/" % root

    def lint(path):
        r = subprocess.run([args.tidy, "-p", args.build, "--quiet",
                            "--checks=-*,sendsync-*", "--header-filter=" + header_filter,
                            path], capture_output=True, text=True)
        findings = [l for l in r.stdout.splitlines() if ": warning: " in l or ": error: " in l]
        return path, r.returncode, findings, r.stderr

    failed = 0
    with ThreadPoolExecutor(max_workers=args.j) as pool:
        for path, rc, findings, err in pool.map(lint, files):
            rel = os.path.relpath(path, root)
            if findings or rc != 0:
                failed += 1
                print("FAIL %s (exit %d)" % (rel, rc))
                for l in findings:
                    print("  " + l)
                if rc != 0 and not findings:
                    print(err)
            else:
                print("ok   %s" % rel)
    print("%d passed, %d failed" % (len(files) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
