/*
 * kernel/lib/x86.h: the x86 instructions C cannot express, as inline
 * functions. Names follow xv6 (inb, outb, lcr3, rcr2) and the Intel
 * manual. Pagoda is an i386 kernel, so the library layer may use them;
 * everything that defines the machine's structures (descriptor tables,
 * page-table formats, trap frames) is in kernel/arch/.
 */
#ifndef KERNEL_LIB_X86_H
#define KERNEL_LIB_X86_H

#include <stdbool.h>
#include <stdint.h>

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "d"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "d"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "d"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "d"(port));
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void pause(void) { __asm__ volatile("pause"); }

static inline uint32_t read_eflags(void)
{
	uint32_t v;
	__asm__ volatile("pushfl; popl %0" : "=r"(v));
	return v;
}

#define FL_IF	0x00000200u	/* interrupt enable */
#define FL_VM	0x00020000u	/* virtual-8086 mode */

/* Disable interrupts and return whether they were enabled before. */
static inline int irq_save(void)
{
	int was = (read_eflags() & FL_IF) != 0;
	cli();
	return was;
}

/* Are interrupts off (the rule for touching what interrupt handlers touch)? */
static inline bool irqs_off(void)
{
	return !(read_eflags() & FL_IF);
}

static inline void irq_restore(int was)
{
	if (was)
		sti();
}

#define DEFINE_CR(n)							\
static inline uint32_t rcr##n(void)					\
{									\
	uint32_t v;							\
	__asm__ volatile("movl %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void lcr##n(uint32_t v)					\
{									\
	__asm__ volatile("movl %0, %%cr" #n : : "r"(v) : "memory");	\
}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline uint32_t rebp(void)
{
	uint32_t v;
	__asm__ volatile("movl %%ebp, %0" : "=r"(v));
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void invlpg(void *va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Stop the machine's CPU for good. */
static inline __attribute__((noreturn)) void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Stop in the Bochs debugger (bochsrc: magic_break: enabled=1); a no-op elsewhere. */
#define BOCHS_BREAK()	__asm__ volatile("xchgw %bx, %bx")

#endif
