/*
 * kernel/arch/gdt.c: build and load Pagoda's GDT.
 *
 * The Multiboot spec leaves GDTR undefined at entry, so kmain calls
 * gdt_init before anything reloads a segment register. Code and data
 * segments for rings 0 and 3 all span the whole 4 GiB; protection comes
 * from paging alone.
 */
#include "kernel/arch/gdt.h"
#include <stdint.h>

struct segdesc {
	uint16_t limit_lo;
	uint16_t base_lo;
	uint8_t base_mid;
	uint8_t access;		/* present, DPL, type */
	uint8_t limit_hi_flags;	/* limit 19..16, granularity, 32-bit */
	uint8_t base_hi;
} __attribute__((packed));

#define ACC_PRESENT	0x80
#define ACC_CODEDATA	0x10
#define ACC_CODE	0x0a	/* execute, read */
#define ACC_DATA	0x02	/* read, write */
#define FLAGS_4K_32	0xc0	/* 4 KiB granularity, 32-bit */

static struct segdesc gdt[NSEGS];
struct tss tss;

static void set_flat(int i, uint8_t type, int dpl)
{
	gdt[i] = (struct segdesc){
		.limit_lo = 0xffff,
		.access = ACC_PRESENT | ACC_CODEDATA | (dpl << 5) | type,
		.limit_hi_flags = FLAGS_4K_32 | 0x0f,
	};
}

/* Put the TSS in the GDT and load it: traps from ring 3 switch to tss.esp0. */
static void tss_init(void)
{
	uint32_t base = (uint32_t)&tss, limit = sizeof(tss) - 1;

	tss.ss0 = KDATA_SEL;
	tss.iomb = sizeof(tss);		/* no I/O bitmap: user I/O instructions fault */
	gdt[SEG_TSS] = (struct segdesc){
		.limit_lo = limit & 0xffff,
		.base_lo = base & 0xffff,
		.base_mid = (base >> 16) & 0xff,
		.access = ACC_PRESENT | 0x09,	/* 32-bit TSS, available */
		.limit_hi_flags = (limit >> 16) & 0x0f,
		.base_hi = base >> 24,
	};
	__asm__ volatile("ltr %w0" : : "r"(SEG_TSS << 3));
}

void gdt_init(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (uint32_t)gdt };

	set_flat(SEG_KCODE, ACC_CODE, 0);
	set_flat(SEG_KDATA, ACC_DATA, 0);
	set_flat(SEG_UCODE, ACC_CODE, DPL_USER);
	set_flat(SEG_UDATA, ACC_DATA, DPL_USER);
	__asm__ volatile(
		"lgdt %0\n\t"
		"ljmp %1, $1f\n"
		"1:\tmovw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"xorw %%ax, %%ax\n\t"
		"movw %%ax, %%fs\n\t"
		"movw %%ax, %%gs"
		: : "m"(gdtr), "i"(KCODE_SEL), "i"(KDATA_SEL) : "eax", "memory");
	tss_init();
}
