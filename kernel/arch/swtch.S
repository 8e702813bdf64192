/*
 * kernel/arch/swtch.S: swtch(&old, new) saves the callee-saved registers on
 * the current kernel stack, stores the stack pointer in *old, loads new as the
 * stack pointer and restores its registers: the return lands in whatever
 * code last called swtch on that stack (or forkret, for a new process).
 */
	.text
	.globl swtch
swtch:
	movl	4(%esp), %eax
	movl	8(%esp), %edx
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	%esp, (%eax)
	movl	%edx, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

	.section .note.GNU-stack, "", @progbits
