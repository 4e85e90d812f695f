"""Loads the plugin into every other clang-tidy given and checks that each
stops with the one error naming both major versions.

  plugin_in_other_tidies.py PLUGIN BUILT_MAJOR SOURCE CLANG_TIDY...

Prints 'refused by clang-tidy N' per clang-tidy that refuses as it should,
'FAIL: ...' (and exits 1) for any that does not.
"""
import re
import subprocess
import sys

plugin, built, source = sys.argv[1:4]
failed = False
for tidy in sys.argv[4:]:
    host = re.search(r"llvm-(\d+)/", tidy).group(1)
    p = subprocess.run([tidy, "--load=" + plugin, "--checks=-*,sendsync-*",
                        source, "--", "-std=c++20"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    want = ("error: sendsync: this plugin was built for clang-tidy %s but was "
            "loaded into clang-tidy %s; a plugin works only with the clang-tidy "
            "major version it was built against (run clang-tidy-%s or "
            "sendsync-tidy, or rebuild sendsync with -DSENDSYNC_LLVM_VERSION=%s; "
            "LLVM 19 and 22 are tested)"
            % (built, host, built, host))
    if p.returncode != 0 and p.stderr.strip() == want:
        print("refused by clang-tidy %s" % host)
    else:
        failed = True
        print("FAIL: clang-tidy %s exited %d, stderr:\n%s" % (
            host, p.returncode, p.stderr))
sys.exit(1 if failed else 0)
