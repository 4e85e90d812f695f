# lit configuration for the sendsync check tests.
#
# Every test runs through one driver, chosen with --param driver=plugin
# (clang-tidy --load=libSendSyncTidy.so) or --param driver=standalone
# (sendsync-tidy); ctest runs the whole suite once with each.
import os

import lit.formats

config.name = "sendsync-" + lit_config.params.get("driver", "plugin")
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".c", ".test"]
config.excludes = ["Inputs", "lint-project", "lit.cfg.py", "lit.site.cfg.py.in",
                   "CMakeLists.txt", "runtime", "corpus"]
driver = lit_config.params.get("driver", "plugin")
config.test_source_root = os.path.join(config.sendsync_source_dir, "test")
# One output tree per driver: ctest runs both suites at once.
config.test_exec_root = os.path.join(config.sendsync_binary_dir, "test", "lit-" + driver)

if driver == "plugin":
    tidy = "%s --load=%s" % (config.clang_tidy, config.plugin)
elif driver == "standalone":
    tidy = config.standalone
else:
    lit_config.fatal("unknown driver '%s' (plugin or standalone)" % driver)
config.available_features.add("driver-" + driver)

include = os.path.join(config.sendsync_source_dir, "include")
runtime_include = os.path.join(config.sendsync_source_dir, "runtime", "include")
inputs = os.path.join(config.sendsync_source_dir, "test", "checks", "Inputs")

# %check_tidy: the driver under test, quiet, with the sendsync checks only.
config.substitutions.append(("%check_tidy", tidy + " --quiet"))
config.substitutions.append(("%clang_tidy", config.clang_tidy))
config.substitutions.append(("%sendsync_tidy", config.standalone))
config.substitutions.append(("%plugin", config.plugin))
config.substitutions.append(("%llvm_major", config.llvm_major))
config.substitutions.append(
    ("%cxxflags", "-std=c++20 -I%s -I%s -I%s" % (include, runtime_include, inputs)))
config.substitutions.append(("%cflags", "-std=c11 -I%s -I%s" % (include, inputs)))

# FileCheck, not and count from the LLVM this build uses.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", "")])

# libc++ (for the std::__1 spellings) is installed by scripts/test; a machine
# without it reports those tests as unsupported, never as passed.
if os.path.isdir(os.path.join(config.llvm_tools_dir, "..", "include", "c++", "v1")):
    config.available_features.add("libcxx")

import sys
config.substitutions.append(("%python", sys.executable))

import glob
import shutil
config.substitutions.append(
    ("%clangxx", os.path.join(config.llvm_tools_dir, "clang++")))
if shutil.which("g++"):
    config.available_features.add("gxx")

# Every other installed clang-tidy major version, to prove the plugin refuses
# to load into each: the distribution's default (14 on Debian 12) on a fresh
# machine, and the other LLVM that CI builds.
others = sorted(p for p in glob.glob("/usr/lib/llvm-*/bin/clang-tidy")
                if not p.startswith("/usr/lib/llvm-%s/" % config.llvm_major))
if others:
    config.available_features.add("other-clang-tidy")
    config.substitutions.append(("%other_clang_tidies", " ".join(others)))
