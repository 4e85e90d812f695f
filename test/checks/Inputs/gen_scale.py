#!/usr/bin/env python3
"""Writes the scale tests of the inference engine into DIR:
  wide.cpp   a struct with 10,000 members, the last one not Send
  deep.cpp   a 200-level template nesting with a not-Send type at the bottom
  cycle.cpp  a cycle of 5,000 types through pointers, one of them not Sync
and an _ok twin of each that must stay silent. Each file's expected first
diagnostic line is checked by the lit test that runs this script.
"""
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
HEAD = '#include <thread>\n#include <sendsync/annotations.h>\n' \
       'struct SENDSYNC_NOT_SEND Handle { int fd; };\n' \
       'struct SENDSYNC_NOT_SYNC Cell { int v; };\n'


def write(name, body):
    with open(os.path.join(out, name), "w") as f:
        f.write(HEAD + body)


def wide(bad):
    members = "".join("  int m%d;\n" % i for i in range(9999))
    last = "  Handle last;\n" if bad else "  int last;\n"
    return ("struct Wide {\n%s%s};\n"
            "void run(Wide w) { std::thread t([w] {}); t.join(); }\n" % (members, last))


def deep(bad):
    bottom = "Handle h;" if bad else "int h;"
    return ("template <int N> struct Deep { Deep<N - 1> inner; };\n"
            "template <> struct Deep<0> { %s };\n"
            "void run(Deep<200> d) { std::thread t([d] {}); t.join(); }\n" % bottom)


def cycle(bad):
    n = 5000
    decls = "".join("struct N%d;\n" % i for i in range(n))
    defs = "".join("struct N%d { N%d *next; int v; };\n" % (i, (i + 1) % n)
                   for i in range(n - 1))
    last = "Cell c;" if bad else "int c;"
    defs += "struct N%d { N0 *next; %s };\n" % (n - 1, last)
    return decls + defs + "void run(N0 *p) { std::thread t([p] {}); t.join(); }\n"


for name, gen in (("wide", wide), ("deep", deep), ("cycle", cycle)):
    write(name + "_bad.cpp", gen(True))
    write(name + "_ok.cpp", gen(False))
