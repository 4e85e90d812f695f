"""Runs a command and checks its exit code: expect_exit.py CODE CMD [ARGS...].

Output passes through unchanged, so FileCheck can read it. lit's shell has
no $?, and `not` accepts any failure; the CI driver's exit codes are part of
its interface, so the tests pin each one.
"""
import subprocess
import sys

expected = int(sys.argv[1])
result = subprocess.run(sys.argv[2:])
if result.returncode != expected:
    sys.stderr.write("expect_exit: %s exited %d, expected %d\n"
                     % (sys.argv[2], result.returncode, expected))
    sys.exit(1)
