/*
 * kernel/arch/mmu.h: the i386 two-level page-table format, typed.
 *
 * A virtual address splits into PDX (bits 31..22: page-directory index),
 * PTX (21..12: page-table index) and the offset. A page-directory entry
 * (pde_t) points to a page table; a page-table entry (pte_t) to a page.
 * The CPU ANDs the R/W and U/S bits of the two levels: clearing PDE_W
 * write-protects the whole 4 MiB under it: shared page tables (mm/share.c)
 * are built on exactly that.
 * docs/paging.md draws the walk.
 */
#ifndef KERNEL_ARCH_MMU_H
#define KERNEL_ARCH_MMU_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/memlayout.h"

typedef uint32_t pte_t;
typedef uint32_t pde_t;

/* Hardware bits, the same in both levels (PS, D and G differ: Intel SDM 4.3). */
#define PTE_P		0x001	/* present */
#define PTE_W		0x002	/* writable */
#define PTE_U		0x004	/* user-accessible */
#define PTE_PWT		0x008	/* write-through */
#define PTE_PCD		0x010	/* cache disabled */
#define PTE_A		0x020	/* accessed (set by the CPU) */
#define PTE_D		0x040	/* dirty (set by the CPU; PTEs and 4 MiB PDEs) */
#define PTE_PS		0x080	/* 4 MiB page (PDEs only) */
#define PTE_G		0x100	/* global (PTEs and 4 MiB PDEs) */
/* Software bits 9..11, ignored by the CPU. */
#define PTE_COW		0x200	/* private page shared copy-on-write: write-protected by us */
#define PTE_SWAP	0x400	/* in a non-present PTE: the rest names a swap slot (mm/swap.h) */
#define PTE_SW2		0x800	/* unused */
#define PTE_FLAGS	0xfff

#define PDE_P		PTE_P
#define PDE_W		PTE_W
#define PDE_U		PTE_U
#define PDE_PS		PTE_PS

#define NPDENTRIES	1024
#define NPTENTRIES	1024
#define USER_TOP	KERNBASE	/* user space is [0, USER_TOP) */
#define KERN_PDX	(KERNBASE >> PDSHIFT)

/* The boot page directory (boot/entry.S): the kernel half every address space copies. */
extern pde_t boot_pgdir[NPDENTRIES];

#define PDX(va)		(((uint32_t)(va) >> PDSHIFT) & 0x3ff)
#define PTX(va)		(((uint32_t)(va) >> PGSHIFT) & 0x3ff)
#define PGADDR(d, t)	((uint32_t)(d) << PDSHIFT | (uint32_t)(t) << PGSHIFT)

static inline pte_t mk_pte(paddr_t pa, uint32_t flags) { return (pa & ~PTE_FLAGS) | flags; }
static inline paddr_t pte_addr(pte_t e) { return e & ~PTE_FLAGS; }
static inline uint32_t pte_pfn(pte_t e) { return e >> PGSHIFT; }
static inline bool pte_present(pte_t e) { return e & PTE_P; }
static inline bool pte_write(pte_t e) { return e & PTE_W; }
static inline bool pte_user(pte_t e) { return e & PTE_U; }
static inline bool pte_dirty(pte_t e) { return e & PTE_D; }
static inline bool pte_young(pte_t e) { return e & PTE_A; }
static inline bool pte_cow(pte_t e) { return e & PTE_COW; }
static inline pte_t pte_wrprotect(pte_t e) { return e & ~PTE_W; }
static inline pte_t pte_mkwrite(pte_t e) { return e | PTE_W; }
static inline pte_t pte_mkcow(pte_t e) { return (e & ~PTE_W) | PTE_COW; }
static inline pte_t pte_mkclean(pte_t e) { return e & ~PTE_D; }

static inline pde_t mk_pde(paddr_t pa, uint32_t flags) { return (pa & ~PTE_FLAGS) | flags; }
static inline paddr_t pde_addr(pde_t e) { return e & ~PTE_FLAGS; }
static inline bool pde_present(pde_t e) { return e & PDE_P; }
static inline bool pde_write(pde_t e) { return e & PDE_W; }
static inline pde_t pde_wrprotect(pde_t e) { return e & ~PDE_W; }
static inline pde_t pde_mkwrite(pde_t e) { return e | PDE_W; }
#endif
