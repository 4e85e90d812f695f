"""Runs the shell steps of docs/ci/github-actions.yml on the sample project.

  github_workflow_test.py --workflow W --project P --build B --work DIR

Steps that use an action (checkout, upload-sarif) run on GitHub only. Two
run steps are replaced, and say so: "Install LLVM" (sudo apt-get; the
machine running this test has those packages) and "Build sendsync", whose
result -- sendsync installed in $SENDSYNC_PREFIX -- is made here by
installing the build under test, instead of building it again. Every other
step runs as GitHub runs it (bash -e -o pipefail), in order, with the
workflow's environment.

Expected: on the sample project, which has one finding, the sendsync step
fails and still writes a valid SARIF log naming it; once the finding is
recorded in .sendsync-baseline.json, the step passes.
"""
import argparse
import os
import subprocess
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import copy_project, expect_in, fail, install, run  # noqa: E402

REPLACED = {"Install LLVM", "Build sendsync"}

p = argparse.ArgumentParser()
p.add_argument("--workflow", required=True)
p.add_argument("--project", required=True)
p.add_argument("--build", required=True)
p.add_argument("--work", required=True)
p.add_argument("--llvm", required=True)
p.add_argument("--sarif-check", required=True)
a = p.parse_args()

with open(a.workflow) as f:
    workflow = yaml.safe_load(f)
job = workflow["jobs"]["sendsync"]
workspace = os.path.join(a.work, "workspace")
copy_project(a.project, workspace)

env = dict(os.environ)
for k, v in job.get("env", {}).items():
    env[k] = str(v).replace("${{ github.workspace }}", workspace)
env["LLVM"] = a.llvm
install(a.build, env["SENDSYNC_PREFIX"])


def run_steps(expect_lint):
    for step in job["steps"]:
        name = step.get("name", step.get("uses"))
        if "uses" in step:
            print("skipped (an action, runs on GitHub): %s" % name)
            continue
        if name in REPLACED:
            print("replaced (see this file's docstring): %s" % name)
            continue
        expect = expect_lint if name == "sendsync" else 0
        out = run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail",
                   "-c", step["run"]], cwd=workspace, env=env, expect=expect)
        if name == "sendsync":
            return out
    fail("the workflow has no step named 'sendsync'")


# 1. The finding fails the job, and is in the SARIF log for code scanning.
out = run_steps(expect_lint=1)
expect_in(out, "handoff.cpp:7:18: error: capture 'lk' cannot be sent to another thread")
sarif = os.path.join(workspace, "sendsync.sarif")
checked = run([sys.executable, a.sarif_check, sarif])
expect_in(checked, "result sendsync-send error src/handoff.cpp:7:18")

# 2. Recorded in a baseline, it no longer fails the job.
run([os.path.join(env["SENDSYNC_PREFIX"], "bin", "sendsync-tidy"), "-p", "build",
     "--checks=-*,sendsync-*", "--baseline-write=.sendsync-baseline.json", "--quiet"],
    cwd=workspace)
out = run_steps(expect_lint=0)
expect_in(out, "0 findings not in the baseline (1 in it)")
print("PASS")
