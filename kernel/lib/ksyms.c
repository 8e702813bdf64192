/*
 * kernel/lib/ksyms.c: look up the embedded symbol table.
 *
 * The table (generated: build/ksyms.S) lists every text symbol sorted by
 * address; names are offsets into one string blob. Invariant, checked by the
 * Makefile: no text symbol moved between the link that produced the table
 * and the final link, so every address in it is exact.
 */
#include "kernel/lib/ksyms.h"
#include "kernel/lib/lib.h"

struct ksym {
	uint32_t addr;
	uint32_t name;		/* offset into ksym_names */
};

extern const struct ksym ksym_table[];
extern const uint32_t ksym_table_count;
extern const char ksym_names[];
extern char __etext[];

uint32_t ksym_count(void)
{
	return ksym_table_count;
}

const char *ksym_lookup(uint32_t addr, uint32_t *offset)
{
	uint32_t lo = 0, hi = ksym_table_count;

	if (!hi || addr < ksym_table[0].addr || addr >= (uint32_t)__etext)
		return NULL;
	while (hi - lo > 1) {	/* the last entry with .addr <= addr */
		uint32_t mid = (lo + hi) / 2;
		if (ksym_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (offset)
		*offset = addr - ksym_table[lo].addr;
	return ksym_names + ksym_table[lo].name;
}

uint32_t ksym_address(const char *name)
{
	for (uint32_t i = 0; i < ksym_table_count; i++)
		if (strcmp(ksym_names + ksym_table[i].name, name) == 0)
			return ksym_table[i].addr;
	return 0;
}

int ksym_format(char *buf, size_t size, uint32_t addr)
{
	uint32_t off;
	const char *name = ksym_lookup(addr, &off);

	if (!name)
		return snprintf(buf, size, "?");
	return snprintf(buf, size, "%s+0x%x", name, off);
}
