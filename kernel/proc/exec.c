/*
 * kernel/proc/exec.c: the ELF loader, in four steps: check the file, map its
 * segments, build the stack, commit.
 *
 * Segments are normally not read in: each PT_LOAD becomes a file-backed
 * region over the page cache (mm_map_file), so pages arrive on demand,
 * each the first time it is touched. That needs each segment's bytes to
 * lie in the file at the same offset within a page as in memory. Programs
 * linked the way xv6 links them (ld -N -Ttext 0: one segment at address 0
 * whose file offset is 0x80, say) do not, and neither do segments sharing
 * a page; those are read in whole, into anonymous memory, as xv6 itself
 * loads every program (copy_segments). Everything in the file is checked
 * before anything of the process changes; until the commit the old address
 * space is untouched, so a bad executable costs the caller nothing but an
 * error.
 */
#include "kernel/proc/exec.h"
#include "fs/file.h"
#include "kernel/arch/gdt.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/x86.h"
#include "kernel/proc/elf.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/wsb.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vm.h"

struct image {
	struct elf_hdr eh;
	struct elf_phdr ph[MAXPH];
	uint32_t size;			/* of the file */
	uint32_t top;			/* end of the highest segment */
};

/* Read n bytes at off of f: n, fewer at the end of the file, or -E. */
static int read_at(struct file *f, uint32_t off, void *buf, uint32_t n)
{
	int r = vfs_lseek(f, off, SEEK_SET);

	return r < 0 ? r : vfs_read(f, buf, n);
}

/* Step 1: the header and program headers, every field checked (kernel/proc/elf.c). */
static int check_image(struct file *f, struct image *im)
{
	struct elf_hdr *e = &im->eh;

	uint32_t n;
	int r;

	im->size = f->ip->size;
	if (!S_ISREG(f->ip->mode))
		return -ENOEXEC;		/* a directory, a device */
	if ((r = read_at(f, 0, e, sizeof(*e))) != sizeof(*e))
		return r < 0 ? r : -ENOEXEC;	/* shorter than a header */
	if (elf_check_header(e, im->size) < 0)
		return -ENOEXEC;
	/*
	 * From here on the checks vouch for what follows: the table fits im
	 * and lies inside the file, and every segment can be mapped. If that
	 * ever fails, a check is missing: a kernel bug, not a bad file.
	 */
	n = e->phnum * sizeof(struct elf_phdr);
	KASSERT(e->phnum <= MAXPH);
	if ((r = read_at(f, e->phoff, im->ph, n)) < 0)
		return r;
	if ((uint32_t)r != n)
		panic("exec: program headers the ELF checks placed in the file read short");
	return elf_check_segments(e, im->ph, im->size, &im->top);
}

/* Step 2: a region per segment, over the file's pages. */
static int map_segments(struct mm *mm, struct file *f, const struct image *im)
{
	for (int i = 0; i < im->eh.phnum; i++) {
		const struct elf_phdr *p = &im->ph[i];
		uint32_t start = PGROUNDDOWN(p->vaddr);
		unsigned prot = (p->flags & PF_R ? VM_READ : 0) | (p->flags & PF_W ? VM_WRITE : 0) |
				(p->flags & PF_X ? VM_EXEC : 0);
		int r;

		if (p->type != PT_LOAD)
			continue;
		r = mm_map_file(mm, start, PGROUNDUP(p->vaddr + p->memsz) - start, prot | VM_READ,
				&f->ip->map, (p->offset - (p->vaddr - start)) / PGSIZE,
				p->vaddr + p->filesz);
		if (r == -EINVAL)
			panic("exec: segment %d passed the ELF checks but cannot be mapped", i);
		if (r < 0)
			return r;
	}
	return 0;
}

/* A page range, for copy_segments. */
struct span {
	uint32_t start, end;
};

static unsigned seg_prot(const struct elf_phdr *p)
{
	return VM_READ | (p->flags & PF_W ? VM_WRITE : 0) | (p->flags & PF_X ? VM_EXEC : 0);
}

/* The protection of the page at va: that of every segment on it, together. */
static unsigned page_prot(const struct image *im, uint32_t va)
{
	unsigned prot = 0;

	for (int i = 0; i < im->eh.phnum; i++) {
		const struct elf_phdr *p = &im->ph[i];
		if (p->type == PT_LOAD && PGROUNDDOWN(p->vaddr) <= va &&
		    va < PGROUNDUP(p->vaddr + p->memsz))
			prot |= seg_prot(p);
	}
	return prot;
}

/*
 * Step 2, the other way: anonymous regions over the segments' pages,
 * writable while the file's bytes are read in, then given their own
 * protection page by page (only a page two segments share gets both). The bytes
 * past each segment's file part stay the zeros anonymous pages start as.
 * mm must be the active address space.
 */
static int copy_segments(struct mm *mm, struct file *f, const struct image *im)
{
	struct span spans[MAXPH];
	int nspans = 0, order[MAXPH], n = 0, r;
	uint8_t *buf;

	for (int i = 0; i < im->eh.phnum; i++)		/* PT_LOADs by address */
		if (im->ph[i].type == PT_LOAD) {
			int k = n++;
			while (k > 0 && im->ph[order[k - 1]].vaddr > im->ph[i].vaddr) {
				order[k] = order[k - 1];
				k--;
			}
			order[k] = i;
		}
	for (int k = 0; k < n; k++) {			/* their pages, shared ones merged */
		const struct elf_phdr *p = &im->ph[order[k]];
		uint32_t a = PGROUNDDOWN(p->vaddr), b = PGROUNDUP(p->vaddr + p->memsz);
		if (nspans && a < spans[nspans - 1].end)
			spans[nspans - 1].end = MAX(spans[nspans - 1].end, b);
		else
			spans[nspans++] = (struct span){ a, b };
	}
	for (int k = 0; k < nspans; k++)
		if ((r = mm_map(mm, spans[k].start, spans[k].end - spans[k].start,
				VM_READ | VM_WRITE, VMA_ANON)) < 0) {
			if (r == -EINVAL)
				panic("exec: segments passed the ELF checks but cannot be mapped");
			return r;
		}
	if (!(buf = kmalloc(PGSIZE)))
		return -ENOMEM;
	r = 0;
	for (int k = 0; k < n && r == 0; k++) {
		const struct elf_phdr *p = &im->ph[order[k]];
		for (uint32_t done = 0; done < p->filesz && r == 0;) {
			uint32_t chunk = MIN(p->filesz - done, (uint32_t)PGSIZE);
			int got = read_at(f, p->offset + done, buf, chunk);
			if (got != (int)chunk)
				r = got < 0 ? got : -EIO;	/* the checks put it in the file */
			else if (copy_to_user(p->vaddr + done, buf, chunk) < 0)
				r = -ENOMEM;	/* a page could not be had */
			done += chunk;
		}
	}
	kfree(buf);
	for (int k = 0; k < nspans && r == 0; k++) {	/* runs of pages alike */
		for (uint32_t va = spans[k].start, end; va < spans[k].end && r == 0; va = end) {
			unsigned prot = page_prot(im, va);
			for (end = va + PGSIZE; end < spans[k].end && page_prot(im, end) == prot;)
				end += PGSIZE;
			if (prot != (VM_READ | VM_WRITE))
				r = mm_protect(mm, va, end - va, prot);
		}
	}
	return r;
}

/* Step 3: xv6's initial stack: fake return address, argc, argv, the strings. */
static int build_stack(struct mm *mm, char *const argv[], uint32_t *spp)
{
	uint32_t ustack[3 + MAXARG + 1], sp = USER_TOP, argc;
	int r;

	/* not committed memory: most of it is never touched (docs/paging.md) */
	r = mm_map(mm, USER_TOP - USTACK_SIZE, USTACK_SIZE, VM_READ | VM_WRITE | VM_NORESERVE,
		   VMA_ANON);
	if (r == -EINVAL)
		panic("exec: the ELF checks left no room for the stack");
	if (r < 0)
		return r;
	for (argc = 0; argv[argc]; argc++) {
		size_t n = strlen(argv[argc]) + 1;
		sp = (sp - n) & ~3u;
		if (copy_to_user(sp, argv[argc], n) < 0)
			return -ENOMEM;
		ustack[3 + argc] = sp;
	}
	ustack[3 + argc] = 0;
	ustack[0] = 0xffffffff;
	ustack[1] = argc;
	ustack[2] = sp - (argc + 1) * 4;
	sp -= (3 + argc + 1) * 4;
	if (copy_to_user(sp, ustack, (3 + argc + 1) * 4) < 0)
		return -ENOMEM;
	*spp = sp;
	return 0;
}

static int check_args(char *const argv[])
{
	size_t bytes = 0;
	int n;

	for (n = 0; argv[n]; n++) {
		if (n >= MAXARG)
			return -E2BIG;
		bytes += strlen(argv[n]) + 1 + 4;
	}
	return bytes > ARGBYTES ? -E2BIG : 0;
}

/* Step 4: the new image becomes the process's. */
static void commit(struct mm *mm, const struct image *im, uint32_t sp, const char *path)
{
	struct mm *old = current->mm;
	const char *last = path;

	current->mm = mm;
	mm_activate(mm);
	if (old) {
		wsb_exit(old);
		mm_destroy(old);
	}
	mm_commit_credit(mm, NULL);	/* old's pages are given back: no more credit */
	current->heap_start = current->brk = im->top;
	memset(current->tf, 0, sizeof(*current->tf));
	current->tf->cs = UCODE_SEL;
	current->tf->ds = current->tf->es = current->tf->ss = UDATA_SEL;
	current->tf->fs = current->tf->gs = UDATA_SEL;
	current->tf->eflags = FL_IF;
	current->tf->eip = im->eh.entry;
	current->tf->esp = sp;
	for (const char *s = path; *s; s++)
		if (*s == '/')
			last = s + 1;
	strlcpy(current->name, last, sizeof(current->name));
}

int exec(const char *path, char *const argv[])
{
	struct image *im = kmalloc(sizeof(*im));
	struct file *f = vfs_open(path, O_RDONLY, current->cwd);
	struct mm *mm = NULL;
	uint32_t sp = 0;
	int r;

	if (!im || IS_ERR(f)) {
		r = !im ? -ENOMEM : PTR_ERR(f);
		goto out;
	}
	if ((r = check_args(argv)) < 0 || (r = check_image(f, im)) < 0)
		goto out;
	if (!(mm = mm_create())) {
		r = -ENOMEM;
		goto out;
	}
	mm_commit_credit(mm, current->mm);
	mm_activate(mm);		/* copies and the stack go through its addresses */
	if (elf_needs_copy(&im->eh, im->ph))
		r = copy_segments(mm, f, im);
	else if ((r = map_segments(mm, f, im)) == 0)
		wsb_exec(mm, f, &im->eh, im->ph);	/* its working set, read ahead */
	if (r == 0)
		r = build_stack(mm, argv, &sp);
	mm_activate(current->mm);
	if (r < 0)
		goto out;
	commit(mm, im, sp, path);
	mm = NULL;
out:
	if (mm) {
		wsb_drop(mm);		/* it never ran: nothing to record */
		mm_destroy(mm);
	}
	if (!IS_ERR_OR_NULL(f))
		vfs_close(f);
	kfree(im);
	return r;
}
