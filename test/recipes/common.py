"""Shared by the recipe tests: install the build under test into a prefix,
copy the sample project, run commands and say what failed."""
import os
import shutil
import subprocess
import sys


def fail(why):
    sys.stderr.write("FAIL: %s\n" % why)
    sys.exit(1)


def run(cmd, cwd=None, env=None, expect=0, **kw):
    """Runs cmd; returns its combined output. expect: an exit code, or
    'nonzero'."""
    r = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, **kw)
    ok = r.returncode != 0 if expect == "nonzero" else r.returncode == expect
    shown = cmd if isinstance(cmd, str) else " ".join(cmd)
    if not ok:
        fail("%s exited %d, expected %s:\n%s" % (shown, r.returncode, expect, r.stdout))
    print("ok (exit %d, as expected): %s" % (r.returncode, shown[:160]))
    return r.stdout


def expect_in(text, what):
    if what not in text:
        fail("expected %r in:\n%s" % (what, text))


def install(build_dir, prefix):
    shutil.rmtree(prefix, ignore_errors=True)
    run(["cmake", "--install", build_dir, "--prefix", prefix])


def copy_project(project, dest):
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(project, dest)
