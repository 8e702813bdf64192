/*
 * kernel/lib/cmdline.h: the kernel command line, applied to tunables.
 *
 * The line is split into words (spaces separate, double quotes group);
 * each word is "name" or "name=value" and sets the tunable of that name
 * (kernel/lib/tunable.h), wherever in the kernel it is declared. The
 * first word is skipped when it is the kernel's own path (QEMU -kernel
 * and some GRUB versions put it there). Nothing here can fail boot: every
 * problem is one warning line, and the option keeps its default.
 * docs/boot.md lists every option.
 */
#ifndef KERNEL_LIB_CMDLINE_H
#define KERNEL_LIB_CMDLINE_H

#include <stddef.h>
#include "kernel/lib/tunable.h"

/* Apply line to the tunables in table[0..n); returns the warnings printed. */
int cmdline_parse(const char *line, const struct tunable *table, size_t n);
/* Apply line to every registered tunable; returns the warnings printed. */
int cmdline_apply(const char *line);
/* Apply one name=value word at run time, to a tunable marked runtime:
   NULL if done, else what was wrong (nothing is printed). */
const char *tunable_set(const char *word);
/* The registered tunable called name, or NULL. */
const struct tunable *tunable_find(const char *name);
#endif
