/*
 * mm/directmap.c: grow the direct map of physical memory.
 *
 * entry.S maps physical 0..16 MiB at 0 (identity) and at KERNBASE using
 * 4 MiB pages (PDE_PS). kmain drops the identity half at once, so that a
 * NULL pointer faults, and grows the KERNBASE half to cover all RAM before
 * the page allocator starts. These kernel directory entries never change
 * afterwards, so each address space made later can copy them. Kernel
 * stacks live in the direct map, so it is also the window in which a
 * panic's backtrace may follow frame pointers.
 */
#include "mm/directmap.h"
#include "kernel/arch/mmu.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/x86.h"

static uint32_t mapped = BOOT_MAPPED;	/* bytes of physical memory mapped */

uint32_t directmap_end(void)
{
	return KERNBASE + mapped;
}

int directmap_ensure(uint64_t end)
{
	if (end > DIRECTMAP_MAX)
		return -1;
	while (mapped < end) {
		boot_pgdir[(KERNBASE + mapped) >> PDSHIFT] = mk_pde(mapped, PDE_P | PDE_W | PDE_PS);
		mapped += PDSIZE;
	}
	lcr3(rcr3());
	backtrace_set_window(KERNBASE, directmap_end());
	return 0;
}

void directmap_drop_identity(void)
{
	for (uint32_t i = 0; i < (BOOT_MAPPED >> PDSHIFT); i++)
		boot_pgdir[i] = 0;
	lcr3(rcr3());
	backtrace_set_window(KERNBASE, directmap_end());
}
