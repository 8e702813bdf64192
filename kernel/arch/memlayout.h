/*
 * kernel/arch/memlayout.h: the kernel's view of the address space.
 *
 *   0x00000000 .. KERNBASE      user space: one address space per process (mm/vm.h)
 *   KERNBASE   .. +DIRECTMAP_MAX every physical frame below DIRECTMAP_MAX,
 *                               mapped 1:1 at KERNBASE + phys ("direct map")
 *   KERNBASE + 1 MiB            the kernel image, loaded at physical 1 MiB
 *
 * V2P/P2V convert between the two for direct-mapped memory only.
 * docs/boot.md draws it.
 */
#ifndef KERNEL_ARCH_MEMLAYOUT_H
#define KERNEL_ARCH_MEMLAYOUT_H

#define KERNBASE	0xC0000000u
#define KERNLINK	(KERNBASE + 0x100000u)	/* where the kernel is linked */
#define DIRECTMAP_MAX	0x38000000u		/* 896 MiB of physical memory */

#define PGSHIFT		12
#define PGSIZE		4096u
#define PDSHIFT		22
#define PDSIZE		(1u << PDSHIFT)	/* bytes mapped by one directory entry */

#define BOOT_MAPPED	0x01000000u	/* entry.S maps the first 16 MiB */

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef uint32_t paddr_t;

/* Round to page boundaries; the mask takes a's type, so 64-bit values keep their top. */
#define PGROUNDUP(a)	(((a) + PGSIZE - 1) & ~((__typeof__(a))PGSIZE - 1))
#define PGROUNDDOWN(a)	((a) & ~((__typeof__(a))PGSIZE - 1))
#define V2P(a)		((paddr_t)((uintptr_t)(a) - KERNBASE))
#define P2V(a)		((void *)((uintptr_t)(a) + KERNBASE))

/* The kernel image, from its first byte to the end of .bss (linker.ld). */
extern char __kernel_start[], __kernel_end[];
#else
#define V2P_WO(x)	((x) - KERNBASE)
#endif

#endif
