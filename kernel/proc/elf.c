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
	return 0;
}

/* Do the memory of segments i and j (both PT_LOAD) share a byte? */
static bool bytes_overlap(const struct elf_phdr *p, const struct elf_phdr *q)
{
	return p->vaddr < q->vaddr + q->memsz && q->vaddr < p->vaddr + p->memsz;
}

/* Does segment i share a byte of memory with a segment before it? */
static bool overlaps(const struct elf_phdr *ph, int i)
{
	for (int j = 0; j < i; j++)
		if (ph[j].type == PT_LOAD && bytes_overlap(&ph[i], &ph[j]))
			return true;
	return false;
}

/* Do segments i and j share a page (each alone could be a region of its own)? */
static bool share_page(const struct elf_phdr *p, const struct elf_phdr *q)
{
	return PGROUNDDOWN(p->vaddr) < PGROUNDUP(q->vaddr + q->memsz) &&
	       PGROUNDDOWN(q->vaddr) < PGROUNDUP(p->vaddr + p->memsz);
}

bool elf_needs_copy(const struct elf_hdr *e, const struct elf_phdr *ph)
{
	for (int i = 0; i < e->phnum; i++) {
		if (ph[i].type != PT_LOAD)
			continue;
		if ((ph[i].vaddr - ph[i].offset) % PGSIZE || ph[i].align < PGSIZE)
			return true;		/* not mappable page by page (ld -N) */
		for (int j = 0; j < i; j++)
			if (ph[j].type == PT_LOAD && share_page(&ph[i], &ph[j]))
				return true;	/* two segments in one page */
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
		refuse_if(overlaps(ph, i));		/* two segments in the same bytes */
		*top = MAX(*top, (uint32_t)PGROUNDUP(p->vaddr + p->memsz));
		if ((p->flags & PF_X) && e->entry >= p->vaddr && e->entry - p->vaddr < p->memsz)
			entry_ok = true;
	}
	refuse_if(!entry_ok);				/* no loaded, executable entry point */
	refuse_if(*top > USER_TOP - USTACK_SIZE - PGSIZE);	/* no room for the stack */
	return 0;
}
