/*
 * kernel/arch/trapentry.S: one small stub per interrupt vector, and alltraps.
 *
 * Each stub pushes a zero error code (unless the CPU pushed a real one for
 * this vector) and the vector number, then jumps to alltraps, which saves
 * the rest of a struct trapframe, loads kernel data segments and calls
 * trap(tf). trap_vectors[] lists the stubs for trap_init.
 */
#include "kernel/arch/gdt.h"

	.altmacro
	.macro stub n
	.globl vector\n
vector\n:
	.if (\n == 8) || ((\n >= 10) && (\n <= 14)) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	pushl	$0
	.endif
	pushl	$\n
	jmp	alltraps
	.endm

	.macro entry n
	.long	vector\n
	.endm

	.text
	.set i, 0
	.rept 256
	stub %i
	.set i, i + 1
	.endr

	.globl alltraps
alltraps:
	pushl	%ds
	pushl	%es
	pushl	%fs
	pushl	%gs
	pushal
	cld				/* C code assumes the direction flag clear */
	movw	$KDATA_SEL, %ax
	movw	%ax, %ds
	movw	%ax, %es
	pushl	%esp
	call	trap
	addl	$4, %esp

	.globl trapret
trapret:
	popal
	popl	%gs
	popl	%fs
	popl	%es
	popl	%ds
	addl	$8, %esp		/* vector number and error code */
	iret

	.section .rodata
	.align 4
	.globl trap_vectors
trap_vectors:
	.set i, 0
	.rept 256
	entry %i
	.set i, i + 1
	.endr

	.section .note.GNU-stack, "", @progbits
