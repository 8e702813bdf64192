/*
 * kernel/proc/vmview.c: address spaces as JSON, for vmview
 * (docs/shared-page-tables.md, "Seeing the sharing").
 *
 * sysinfo(SI_VMVIEW, buf, len) with buf holding pids as text ("3 7", or
 * "" for every process) writes one JSON object per process and line:
 *
 *   {"pid":3,"ppid":1,"name":"sh","pgdir":"0x1c2000",
 *    "regions":[["0x0","0x3000","r-x","file"],...],
 *    "tables":[{"pdx":0,"va":"0x0","pde_rw":0,"frame":"0x1c5000","users":3,
 *               "present":5,"writable":2,"cow":1,"swap":0,"all_ro":1},...]}
 *
 * A table's frame is its physical address: two processes that print the
 * same frame share that table, and pde_rw says whether their directory
 * entry lets them write through it. Only reads: nothing here changes a
 * table, a reference or an accessed bit.
 */
#include "kernel/proc/vmview.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/x86.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/syscall.h"
#include "mm/pgtable.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vm.h"

#define VMVIEW_BYTES	65536	/* the most one call returns */
#define VMVIEW_PIDS	16	/* pids one call may name */

static int regions_json(const struct mm *mm, char *b, size_t n, int k)
{
	static const char *const kinds[] = { "anon", "shared", "file" };
	const struct list_head *pos;
	bool first = true;

	SNAPPEND(b, n, k, "\"regions\":[");
	list_for_each(pos, &mm->vmas) {
		const struct vma *v = list_entry(pos, struct vma, link);
		SNAPPEND(b, n, k, "%s[\"%p\",\"%p\",\"%c%c%c\",\"%s\"]", first ? "" : ",",
		    (void *)v->start, (void *)v->end, v->prot & VM_READ ? 'r' : '-',
		    v->prot & VM_WRITE ? 'w' : '-', v->prot & VM_EXEC ? 'x' : '-', kinds[v->kind]);
		first = false;
	}
	return k;
}

/* One table's entry: who shares it, and what its PTEs allow. */
static int table_json(const struct mm *mm, uint32_t pdx, char *b, size_t n, int k)
{
	pde_t d = mm->pgdir[pdx];
	const struct pgtable *pt = pt_of_pde(d);
	const pte_t *e = pt_entries(pt);
	unsigned writable = 0, cow = 0;

	for (unsigned i = 0; i < NPTENTRIES; i++)
		if (pte_present(e[i])) {
			writable += pte_write(e[i]);
			cow += !!(e[i] & PTE_COW);
		}
	return SNAPPEND(b, n, k, "{\"pdx\":%u,\"va\":\"%p\",\"pde_rw\":%d,\"frame\":\"%p\",\"users\":%d,"
		   "\"present\":%d,\"writable\":%u,\"cow\":%u,\"swap\":%d,\"all_ro\":%d}",
		   pdx, (void *)PGADDR(pdx, 0), pde_write(d) ? 1 : 0,
		   (void *)page_to_phys(pt->page), pt->users, pt->nr_present, writable, cow,
		   pt->nr_swap, (pt->flags & PT_ALL_RO) ? 1 : 0);
}

/* s as a JSON string: quotes, backslashes and control bytes escaped (a
   process's name is the file it ran, which may be named anything). */
static int json_str(char *b, size_t n, int k, const char *s)
{
	SNAPPEND(b, n, k, "\"");
	for (; *s; s++) {
		unsigned char c = *s;
		if (c == '"' || c == '\\')
			SNAPPEND(b, n, k, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			SNAPPEND(b, n, k, "\\u%04x", c);
		else
			SNAPPEND(b, n, k, "%c", c);
	}
	return SNAPPEND(b, n, k, "\"");
}

/* p's line; 0 if it has no address space (a zombie, a kernel thread). */
static int proc_json(const struct proc *p, char *b, size_t n, int k)
{
	const struct mm *mm = p->mm;
	bool first = true;

	if (!mm)
		return k;
	SNAPPEND(b, n, k, "{\"pid\":%d,\"ppid\":%d,\"name\":", p->pid, p->parent ? p->parent->pid : 0);
	k = json_str(b, n, k, p->name);
	SNAPPEND(b, n, k, ",\"pgdir\":\"%p\",", (void *)V2P(mm->pgdir));
	k = regions_json(mm, b, n, k);
	SNAPPEND(b, n, k, "],\"tables\":[");
	for (uint32_t pdx = 0; pdx < KERN_PDX; pdx++)
		if (pde_present(mm->pgdir[pdx])) {
			if (!first)
				SNAPPEND(b, n, k, ",");
			k = table_json(mm, pdx, b, n, k);
			first = false;
		}
	return SNAPPEND(b, n, k, "]}\n");
}

/* The pids named in text, separated by spaces (at most max); how many, or -EINVAL. */
static int parse_pids(const char *s, int *pids, int max)
{
	int n = 0;

	for (;;) {
		size_t len;
		uint32_t v;

		while (*s == ' ')
			s++;
		if (!*s)
			return n;
		for (len = 0; s[len] && s[len] != ' '; len++)
			;
		if (n == max || parse_uint(s, len, &v) < 0 || v > 0x7fffffff)
			return -EINVAL;
		pids[n++] = v;
		s += len;
	}
}

/* Every process (npids 0) or the ones named, into b; -ESRCH for a pid not there. */
static int view(const int *pids, int npids, char *b, size_t n)
{
	const struct list_head *pos;
	int k = 0, line;

	if (npids == 0) {
		list_for_each(pos, &all_procs) {
			line = k;
			k = proc_json(list_entry(pos, struct proc, all), b, n, k);
			if ((size_t)k >= n)
				return line;		/* whole lines only */
		}
		return k;
	}
	for (int i = 0; i < npids; i++) {
		const struct proc *p = proc_find(pids[i]);
		if (!p || !p->mm)
			return -ESRCH;
		line = k;
		k = proc_json(p, b, n, k);
		if ((size_t)k >= n)
			return line ? line : -ENOSPC;
	}
	return k;
}

int vmview_dump(uint32_t ubuf, int len)
{
	char pidtext[96], *b;
	int pids[VMVIEW_PIDS], npids, k, was;
	size_t size = MIN((size_t)len, (size_t)VMVIEW_BYTES);

	if (len <= 0 || fetchstr(ubuf, pidtext, MIN((size_t)len + 1, sizeof(pidtext))) < 0)
		return -EFAULT;
	if ((npids = parse_pids(pidtext, pids, VMVIEW_PIDS)) < 0)
		return npids;
	if (!(b = kmalloc(size)))
		return -ENOMEM;
	was = irq_save();			/* one consistent picture */
	k = view(pids, npids, b, size);
	irq_restore(was);
	if (k > 0 && copy_to_user(ubuf, b, k) < 0)
		k = -EFAULT;
	kfree(b);
	return k;
}
