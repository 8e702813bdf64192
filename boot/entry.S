/*
 * boot/entry.S: the first instructions Pagoda runs.
 *
 * GRUB (or QEMU -kernel) loads the kernel at physical 1 MiB and jumps to
 * _start with paging off, %eax = Multiboot magic, %ebx = physical address of
 * the Multiboot information. We cannot run C yet: the kernel is linked at
 * 0xC0100000. So _start (linked low) loads boot_pgdir, which maps the first 16 MiB twice with
 * 4 MiB pages (identity, so the next instruction still works, and at
 * KERNBASE), turn paging on, jump to the high address, and call kmain().
 * kmain drops the identity half and maps the rest of RAM (mm/page_alloc.c).
 */
#include "kernel/arch/memlayout.h"

#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	((1 << 0) | (1 << 1))	/* page-align modules, want memory map */

#define CR0_PG		0x80000000
#define CR0_WP		0x00010000
#define CR4_PSE		0x00000010
#define PDE_P		0x001
#define PDE_W		0x002
#define PDE_PS		0x080

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

/*
 * _start is linked where it is loaded (1 MiB + a little, see linker.ld), so
 * its address means the same to GRUB, which reads e_entry as a virtual
 * address inside a segment, and to QEMU -kernel, which jumps to it as is.
 */
	.section .boot, "ax"
	.globl _start
_start:
	movl	%cr4, %ecx
	orl	$CR4_PSE, %ecx
	movl	%ecx, %cr4
	movl	$V2P_WO(boot_pgdir), %ecx
	movl	%ecx, %cr3
	movl	%cr0, %ecx
	orl	$(CR0_PG | CR0_WP), %ecx
	movl	%ecx, %cr0
	movl	$entry, %ecx
	jmp	*%ecx

/* From here on we run at the kernel's linked (high) addresses. */
	.text
	.globl entry
entry:
	movl	$boot_stack_top, %esp
	xorl	%ebp, %ebp		/* ends every backtrace */
	pushl	$0			/* keeps the stack 16-byte aligned */
	pushl	%ebx			/* Multiboot info (physical) */
	pushl	%eax			/* Multiboot magic */
	call	kmain
2:	cli
	hlt
	jmp	2b

/* The boot page directory: 16 MiB identity and the same 16 MiB at KERNBASE. */
	.data
	.align 4096
	.globl boot_pgdir
boot_pgdir:
	.set i, 0
	.rept 4
	.long (i * PDSIZE) | PDE_P | PDE_W | PDE_PS
	.set i, i + 1
	.endr
	.fill (KERNBASE >> PDSHIFT) - 4, 4, 0
	.set i, 0
	.rept 4
	.long (i * PDSIZE) | PDE_P | PDE_W | PDE_PS
	.set i, i + 1
	.endr
	.fill 1024 - (KERNBASE >> PDSHIFT) - 4, 4, 0

	.bss
	.align 16
	.globl boot_stack, boot_stack_top
boot_stack:
	.space 16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
