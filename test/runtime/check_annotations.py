#!/usr/bin/env python3
"""Checks that every public runtime type carries exactly the sendsync
annotations docs/runtime/README.md promises, and every spawning parameter its
crossing annotation, by reading Clang's AST dump (so an annotation that is
spelled but does not attach to the class also fails).

  check_annotations.py <clang++> <all_headers.cpp> -I<dir> -I<dir>
"""
import re
import subprocess
import sys

# class (under sendsync::) -> the exact set of its class annotations, "kind"
# or "kind(bounds)".
EXPECTED_CLASSES = {
    "Mutex": {"sync_if(T: Send)", "thread_safe_if(T: Send)"},
    "MutexGuard": {"not_send", "sync_if(T: Sync)"},
    "Condvar": set(),  # inferred: one atomic member
    "RwLock": {"sync_if(T: Send + Sync)", "thread_safe_if(T: Send + Sync)"},
    "RwLockReadGuard": {"not_send", "sync_if(T: Sync)"},
    "RwLockWriteGuard": {"not_send", "sync_if(T: Sync)"},
    # Send and Sync inferred from the channel state (GUARDED_BY members).
    "Sender": {"thread_safe_if(T: Send)"},
    "Receiver": {"thread_safe_if(T: Send)"},
    # Send inferred from the SPSC ring.
    "SpscSender": {"not_sync"},
    "SpscReceiver": {"not_sync"},
    # Internals that own their elements through a raw pointer.
    "detail::ring": {"send_if(T: Send)"},
    "detail::spsc_core": {"send_if(T: Send)", "sync_if(T: Send)"},
    # Hold their messages as raw bytes in their slots.
    "detail::array_channel": {"send_if(T: Send)", "sync_if(T: Send)"},
    "detail::list_channel": {"send_if(T: Send)", "sync_if(T: Send)"},
    "detail::zero_channel": set(),
    "Select": {"not_send", "not_sync"},
    "SelectedOperation": {"not_send", "not_sync"},
    "JoinHandle": {"send_if(R: Send)", "unsafe_sync"},
    "ScopedJoinHandle": {"send_if(R: Send)"},
    "Scope": set(),  # inferred: an atomic and a GUARDED_BY list
    "ThreadPool": set(),  # inferred: GUARDED_BY members, atomics, const queues
    # Its slots hold tasks as raw bytes, handed over by their stamps.
    "detail::task_ring": {"thread_safe"},
    # Awaiters that may resume the awaiting coroutine on another thread.
    "ScheduleAwaiter": {"resumes_elsewhere"},
    # Not annotated: the checker follows an awaited Task's body instead.
    "detail::task_awaiter": set(),
    "detail::join_awaiter": {"resumes_elsewhere"},
    # Inference would read the frame handle (a void*) as Send for any T.
    "Task": {"send_if(T: Send)", "unsafe_sync"},
    "TaskHandle": {"send_if(T: Send)", "unsafe_sync"},
    "OnceLock": {"send_if(T: Send)", "sync_if(T: Send + Sync)",
                 "thread_safe_if(T: Send + Sync)"},
    "LazyLock": {"send_if(T: Send, F: Send)", "sync_if(T: Send + Sync, F: Send)",
                 "thread_safe_if(T: Send + Sync, F: Send)"},
}

# function -> the annotation every one of its parameters must carry.
EXPECTED_CROSSINGS = {
    "spawn": "crosses_thread",
    "Scope::spawn": "crosses_thread_scoped",
    "ThreadPool::submit": "crosses_thread",
    "ThreadPool::execute": "crosses_thread",
    "ThreadPool::spawn": "crosses_thread",
}

ATTR = re.compile(r'AnnotateAttr .*"sendsync::(\w+)"')
STRING = re.compile(r'StringLiteral .* lvalue "(.*)"$')


_chunks = None


def dump(cmd, name):
    """The AST dumps of the declarations named exactly sendsync::`name`."""
    global _chunks
    if _chunks is None:
        # One compile: dump every declaration whose name starts sendsync::.
        out = subprocess.run(
            cmd + ["-Xclang", "-ast-dump-filter", "-Xclang", "sendsync::"],
            capture_output=True, text=True, check=True).stdout
        _chunks = re.split(r"^Dumping ", out, flags=re.M)
    return [c.splitlines()[1:] for c in _chunks
            if c.startswith("sendsync::" + name + ":")]


def col(line, word):
    return line.find(word)


def class_annotations(lines, name):
    """Annotations attached directly to the definition of class `name`."""
    for i, line in enumerate(lines):
        if re.search(r"CXXRecordDecl .* (class|struct) %s definition$" % name, line):
            c = col(line, "CXXRecordDecl")
            found = set()
            for j in range(i + 1, len(lines)):
                l = lines[j]
                node = re.search(r"[-`](\w+)", l)
                if node is None or node.start(1) <= c:
                    break
                if node.start(1) == c + 2 and node.group(1) == "AnnotateAttr":
                    kind = ATTR.search(l).group(1)
                    bounds = None
                    for k in range(j + 1, min(j + 10, len(lines))):
                        s = STRING.search(lines[k])
                        if s:
                            bounds = s.group(1)
                            break
                        n = re.search(r"[-`](\w+)", lines[k])
                        if n and n.start(1) <= c + 2:
                            break
                    found.add("%s(%s)" % (kind, bounds) if bounds else kind)
            return found
    return None


def crossing_params(chunks, fn):
    """(parameter, its annotations) of every declaration of function
    template `fn` (the pattern and its instantiations) in `chunks`."""
    result = []
    for lines in chunks:
        for i, line in enumerate(lines):
            if not re.search(r"FunctionTemplateDecl .* %s$" % fn, line):
                continue
            c = col(line, "FunctionTemplateDecl")
            for j in range(i + 1, len(lines)):
                node = re.search(r"[-`](\w+)", lines[j])
                if node is None or node.start(1) <= c:
                    break
                if node.group(1) != "ParmVarDecl" or node.start(1) != c + 4:
                    continue
                kinds = set()
                for k in range(j + 1, len(lines)):
                    n = re.search(r"[-`](\w+)", lines[k])
                    if n is None or n.start(1) <= c + 4:
                        break
                    m = ATTR.search(lines[k])
                    if m and n.start(1) == c + 6:
                        kinds.add(m.group(1))
                name = re.search(r" (\w+) '[^']*'", lines[j])
                result.append((name.group(1) if name else lines[j].strip(), kinds))
    return result


def main():
    cxx, src, *flags = sys.argv[1:]
    cmd = [cxx, "-std=c++20", "-fsyntax-only", *flags, src,
           "-Xclang", "-ast-dump"]
    errors = []
    for name, want in EXPECTED_CLASSES.items():
        got = None
        # A class in a nested namespace (detail::ring) is dumped inside that
        # namespace's chunks, not in one of its own.
        outer, _, short = name.rpartition("::")
        for chunk in dump(cmd, outer or short):
            got = class_annotations(chunk, short)
            if got is not None:
                break
        if got != want:
            errors.append("%s: expected %s, found %s" % (name, sorted(want), got))
    for fn, want in EXPECTED_CROSSINGS.items():
        owner, _, member = fn.rpartition("::")
        params = crossing_params(dump(cmd, owner or member), member)
        if not params:
            errors.append("%s: no parameters found" % fn)
        for param, kinds in params:
            if want not in kinds:
                errors.append("%s: parameter %s lacks %s" % (fn, param, want))
    for e in errors:
        print("error:", e)
    if errors:
        return 1
    print("%d classes and %d spawning functions carry their annotations"
          % (len(EXPECTED_CLASSES), len(EXPECTED_CROSSINGS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
