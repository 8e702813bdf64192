/*
 * kernel/arch/swtch.h: switching kernel stacks (kernel/arch/swtch.S).
 *
 * swtch(&old, new) saves the callee-saved registers on the current stack,
 * stores the stack pointer in *old, and resumes the stack new points at:
 * the return lands wherever that stack last called swtch, or at the eip a
 * new context was given. The scheduler (kernel/sched) is its only user.
 */
#ifndef KERNEL_ARCH_SWTCH_H
#define KERNEL_ARCH_SWTCH_H

#include <stdint.h>

/* Registers kept across swtch (the rest are saved by the caller), lowest address first. */
struct context {
	uint32_t edi, esi, ebx, ebp, eip;
};

/* Save the current registers in *old and continue on new. */
void swtch(struct context **old, struct context *new);
#endif
