/*
 * kernel/arch/uaccess_copy.S: the one instruction allowed to fault on user memory.
 *
 * uaccess_copy(dst, src, n) is rep movsb. If it faults on a user address,
 * the page-fault handler serves the fault and the CPU restarts it where it
 * stopped (rep movsb keeps its progress in %esi, %edi, %ecx); if the fault
 * cannot be served, the handler resumes at uaccess_copy_fault, which
 * returns -EFAULT. __ex_table pairs each faulting instruction with its fixup.
 */
	.text
	.globl uaccess_copy
uaccess_copy:
	pushl	%esi
	pushl	%edi
	movl	12(%esp), %edi
	movl	16(%esp), %esi
	movl	20(%esp), %ecx
1:	rep movsb
	xorl	%eax, %eax
	popl	%edi
	popl	%esi
	ret
2:	movl	$-14, %eax		/* -EFAULT */
	popl	%edi
	popl	%esi
	ret

	.section .rodata
	.align 4
	.globl __ex_table, __ex_table_end
__ex_table:
	.long	1b, 2b
__ex_table_end:

	.section .note.GNU-stack, "", @progbits
