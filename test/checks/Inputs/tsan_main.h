/* The entry point a core or ported race test gets when
 * test/checks/core/tsan_confirm.py builds it with -DSENDSYNC_TSAN_MAIN:
 * with no argument it lists its functions, with one it runs that one, so
 * that each *_bad and *_ok runs alone under ThreadSanitizer. C and C++. */
#ifndef SENDSYNC_TEST_TSAN_MAIN_H
#define SENDSYNC_TEST_TSAN_MAIN_H

#include <stdio.h>
#include <string.h>

struct tsan_entry {
  const char *name;
  void (*fn)(void);
};

#define TSAN_ENTRY(f) {#f, f},

#define TSAN_MAIN(entries)                                                     \
  int main(int argc, char **argv) {                                            \
    unsigned n = sizeof entries / sizeof entries[0];                           \
    for (unsigned i = 0; i < n; ++i)                                           \
      if (argc == 2 && !strcmp(entries[i].name, argv[1])) {                    \
        entries[i].fn();                                                       \
        return 0;                                                              \
      }                                                                        \
    for (unsigned i = 0; i < n; ++i)                                           \
      puts(entries[i].name);                                                   \
    return argc == 1 ? 0 : 2;                                                  \
  }

#endif
