/*
 * kernel/lib/ksyms.h: the kernel's own symbol table, embedded at build time
 * (tools/mkksyms.sh turns `nm` output of a first link into a table linked
 * into the second), so that a backtrace can name functions.
 */
#ifndef KERNEL_LIB_KSYMS_H
#define KERNEL_LIB_KSYMS_H

#include <stddef.h>
#include <stdint.h>

/* Name of the function containing addr and addr's offset in it; NULL if none. */
const char *ksym_lookup(uint32_t addr, uint32_t *offset);
/* Address of the function called name, or 0. */
uint32_t ksym_address(const char *name);
/* Write "name+0xoff" (or "?") for addr into buf. */
int ksym_format(char *buf, size_t size, uint32_t addr);
/* Number of symbols in the table. */
uint32_t ksym_count(void);
#endif
