/*
 * kernel/arch/uaccess.c: the exception table the page-fault handler looks
 * up (see kernel/arch/uaccess.h); the table itself is in uaccess_copy.S.
 */
#include "kernel/arch/uaccess.h"

struct extable_entry {
	uint32_t insn, fixup;
};

extern const struct extable_entry __ex_table[], __ex_table_end[];

uint32_t uaccess_fixup(uint32_t eip)
{
	for (const struct extable_entry *e = __ex_table; e < __ex_table_end; e++)
		if (e->insn == eip)
			return e->fixup;
	return 0;
}
