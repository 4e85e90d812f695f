#!/usr/bin/env python3
"""Proves the core lit tests' twins right at run time.

Every function of a test file named *_bad is a real data race and every one
named *_ok is not: each file is built with ThreadSanitizer (its
SENDSYNC_TSAN_MAIN entry table), each function run alone in its own
process, and a *_bad must make ThreadSanitizer report while a *_ok must not.

  tsan_confirm.py --cc clang-19 --cxx clang++-19 --include DIR... \
      [--link=-ltbb] FILE...
"""
import argparse
import os
import subprocess
import sys
import tempfile

RACE_EXIT = 66


def build(src, args, out):
    is_c = src.endswith(".c")
    compiler = args.cc if is_c else args.cxx
    std = "-std=gnu11" if is_c else "-std=c++20"
    cmd = [compiler, std, "-fsanitize=thread", "-g", "-O0", "-pthread",
           "-DSENDSYNC_TSAN_MAIN", src, "-o", out]
    for inc in args.include:
        cmd.insert(1, "-I" + inc)
    cmd += args.link
    subprocess.run(cmd, check=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cc", required=True)
    p.add_argument("--cxx", required=True)
    p.add_argument("--include", action="append", default=[])
    p.add_argument("--link", action="append", default=[],
                   help="a linker argument (-ltbb for parallel algorithms)")
    p.add_argument("files", nargs="+")
    args = p.parse_args()
    env = dict(os.environ)
    env["TSAN_OPTIONS"] = "exitcode=%d halt_on_error=1 report_signal_unsafe=0" % RACE_EXIT
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for src in args.files:
            exe = os.path.join(tmp, os.path.basename(src) + ".exe")
            build(src, args, exe)
            names = subprocess.run([exe], check=True, capture_output=True,
                                   text=True).stdout.split()
            if not names:
                print("FAIL %s: no entries" % src)
                failed += 1
            for name in names:
                want_race = name.endswith("_bad")
                if not want_race and not name.endswith("_ok"):
                    print("FAIL %s: %s is neither *_ok nor *_bad" % (src, name))
                    failed += 1
                    continue
                r = subprocess.run([exe, name], env=env, capture_output=True,
                                   text=True, timeout=60)
                raced = r.returncode == RACE_EXIT and "data race" in r.stderr
                ok = raced if want_race else r.returncode == 0
                status = "PASS" if ok else "FAIL"
                print("%s %s: %s %s" % (status, os.path.basename(src), name,
                                        "races" if raced else "does not race"))
                if not ok:
                    sys.stdout.write(r.stderr[-2000:])
                passed += ok
                failed += not ok
    print("tsan-confirm: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
