/*
 * kernel/arch/gdt.h: the global descriptor table. Pagoda uses flat segments only;
 * the GDT exists because x86 protected mode needs one, and to hold the TSS
 * that gives the CPU a kernel stack on traps from user mode.
 */
#ifndef KERNEL_ARCH_GDT_H
#define KERNEL_ARCH_GDT_H

#define SEG_KCODE	1	/* kernel code */
#define SEG_KDATA	2	/* kernel data and stack */
#define SEG_UCODE	3	/* user code */
#define SEG_UDATA	4	/* user data and stack */
#define SEG_TSS		5	/* the task state segment */
#define NSEGS		6

#define DPL_USER	3
#define KCODE_SEL	(SEG_KCODE << 3)
#define KDATA_SEL	(SEG_KDATA << 3)
#define UCODE_SEL	((SEG_UCODE << 3) | DPL_USER)
#define UDATA_SEL	((SEG_UDATA << 3) | DPL_USER)

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The task-state segment: only ss0:esp0, the kernel stack for traps from ring 3. */
struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomb;
} __attribute__((packed));

extern struct tss tss;

/* Load the GDT (flat segments for rings 0 and 3) and the TSS. */
void gdt_init(void);
#endif
#endif
