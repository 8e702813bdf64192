/*
 * kernel/proc/elf.c: what makes an ELF file an executable Pagoda will run.
 *
 * exec reads a file's header and program headers and asks here before it
 * changes anything of the process. Each check refuses one kind of bad
 * file, on a line of its own; tests/kernel/test_exec.c has, for each, a
 * file that only that check refuses, and tools/mkelfcorpus.py the same
 * files made from a real program, which the user tests try to run.
 */
#include "kernel/proc/elf.h"
#include "kernel/arch/mmu.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/proc/exec.h"

#define refuse_if(c)	do { if (c) return -ENOEXEC; } while (0)

int elf_check_header(const struct elf_hdr *e, uint32_t size)
{
	refuse_if(e->magic != ELF_MAGIC);		/* not an ELF file */
	refuse_if(e->class != ELFCLASS32);		/* 64-bit */
	refuse_if(e->data != ELFDATA2LSB);		/* big-endian */
	refuse_if(e->type != ET_EXEC);			/* a library or an object file */
	refuse_if(e->machine != EM_386);		/* another processor's */
	refuse_if(e->version2 != EV_CURRENT);		/* a format version we do not know */
	refuse_if(e->ehsize != sizeof(*e));		/* a header of another shape */
	refuse_if(e->phentsize != sizeof(struct elf_phdr));	/* program headers too */
	refuse_if(e->phnum > MAXPH);			/* more than we read */
	refuse_if(e->phoff > size);			/* program headers past the end */
	refuse_if(e->phnum * sizeof(struct elf_phdr) > size - e->phoff);	/* ...or running past */
	return 0;
}

/* One PT_LOAD segment on its own. */
static int check_segment(const struct elf_phdr *p, uint32_t size)
{
	refuse_if(p->filesz > p->memsz);		/* more bytes in the file than in memory */
	refuse_if(p->offset > size);			/* data past the end of the file */
	refuse_if(p->filesz > size - p->offset);	/* ...or running past it */
	refuse_if(p->memsz == 0);			/* an empty segment */
	refuse_if(p->vaddr >= USER_TOP);		/* in the kernel */
	refuse_if(p->memsz > USER_TOP - p->vaddr);	/* running into the kernel, or wrapping */
	refuse_if((p->vaddr - p->offset) % PGSIZE);	/* file and memory not page-congruent */
	return 0;
}

/* Does segment i share a page with a segment before it (each is a region of its own)? */
static bool overlaps(const struct elf_phdr *ph, int i)
{
	uint32_t a0 = PGROUNDDOWN(ph[i].vaddr), a1 = PGROUNDUP(ph[i].vaddr + ph[i].memsz);

	for (int j = 0; j < i; j++) {
		const struct elf_phdr *q = &ph[j];
		if (q->type == PT_LOAD && PGROUNDDOWN(q->vaddr) < a1 &&
		    a0 < PGROUNDUP(q->vaddr + q->memsz))
			return true;
	}
	return false;
}

int elf_check_segments(const struct elf_hdr *e, const struct elf_phdr *ph, uint32_t size,
		       uint32_t *top)
{
	bool entry_ok = false;

	*top = 0;
	for (int i = 0; i < e->phnum; i++) {
		const struct elf_phdr *p = &ph[i];
		if (p->type != PT_LOAD)
			continue;
		if (check_segment(p, size) < 0)
			return -ENOEXEC;
		refuse_if(overlaps(ph, i));		/* two segments in one page */
		*top = MAX(*top, (uint32_t)PGROUNDUP(p->vaddr + p->memsz));
		if ((p->flags & PF_X) && e->entry >= p->vaddr && e->entry - p->vaddr < p->memsz)
			entry_ok = true;
	}
	refuse_if(!entry_ok);				/* no loaded, executable entry point */
	refuse_if(*top > USER_TOP - USTACK_SIZE - PGSIZE);	/* no room for the stack */
	return 0;
}
