"""Runs the pre-commit recipes with pre-commit itself on the sample project.

  pre_commit_test.py --config C --source-root S --project P --build B --work DIR

docs/ci/pre-commit-config.yaml (a local hook) and the repository's own
.pre-commit-hooks.yaml (through `pre-commit try-repo`) must both pass clean
files, skip headers, and fail a commit that adds a finding.
"""
import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import copy_project, expect_in, install, run  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--config", required=True)
p.add_argument("--source-root", required=True)
p.add_argument("--project", required=True)
p.add_argument("--build", required=True)
p.add_argument("--work", required=True)
p.add_argument("--cxx", required=True)
a = p.parse_args()

prefix = os.path.join(a.work, "prefix")
repo = os.path.join(a.work, "repo")
install(a.build, prefix)
copy_project(a.project, repo)
env = dict(os.environ)
env["PATH"] = os.path.join(prefix, "bin") + os.pathsep + env["PATH"]
env["PRE_COMMIT_HOME"] = os.path.join(a.work, "pre-commit-home")
shutil.copy(a.config, os.path.join(repo, ".pre-commit-config.yaml"))
with open(os.path.join(repo, "src", "summer.h"), "w") as f:
    f.write("int sum_in_thread(int n);\n")
with open(os.path.join(repo, ".gitignore"), "w") as f:
    f.write("build/\n")

run(["cmake", "-S", ".", "-B", "build", "-G", "Ninja",
     "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "-DCMAKE_CXX_COMPILER=" + a.cxx,
     "-DCMAKE_PREFIX_PATH=" + prefix], cwd=repo, env=env)
run(["git", "init", "-q"], cwd=repo, env=env)
run(["git", "add", "-A"], cwd=repo, env=env)

# The local hook of docs/ci/pre-commit-config.yaml.
out = run(["pre-commit", "run", "--files", "src/summer.cpp", "src/main.cpp"],
          cwd=repo, env=env)
expect_in(out, "Passed")
out = run(["pre-commit", "run", "--files", "src/summer.h"], cwd=repo, env=env)
expect_in(out, "(no files to check)Skipped")
out = run(["pre-commit", "run", "--files", "src/handoff.cpp"], cwd=repo, env=env,
          expect=1)
expect_in(out, "Failed")
expect_in(out, "handoff.cpp:7:18: error: capture 'lk' cannot be sent to another thread")

# The hook this repository publishes in .pre-commit-hooks.yaml.
out = run(["pre-commit", "try-repo", a.source_root, "sendsync", "--files",
           "src/summer.cpp"], cwd=repo, env=env)
expect_in(out, "Passed")
out = run(["pre-commit", "try-repo", a.source_root, "sendsync", "--files",
           "src/handoff.cpp"], cwd=repo, env=env, expect=1)
expect_in(out, "handoff.cpp:7:18: error: capture 'lk' cannot be sent to another thread")
print("PASS")
