/*
 * kernel/proc/wsb.c: working-set bitmaps (see kernel/proc/wsb.h and
 * docs/working-set.md).
 *
 * At exec: the note is found among the program headers exec has read, its
 * bytes (usually in the file's first page, which exec has just read for the
 * ELF header) are checked field by field, and the current copy is chosen.
 * The pages it marks that some PT_LOAD maps are read through the page
 * cache in ascending order (filemap_prefetch: runs of nearby pages in one
 * request each) and mapped (vm_populate), so the program takes no fault on
 * them. A note that is not exactly right is ignored: exec goes on as if
 * there were none.
 *
 * At exit: the pages the process touched are those its file regions map
 * (below the file's data end: the rest is zero-filled, not the file's)
 * with the accessed bit set (shared page tables included: the bits are in
 * the tables, whoever shares them). They become the newest bitmap of a new
 * copy, written over the older copy in place (vfs_write_inplace: no block
 * allocated, no size or time changed), unless the file system is read-only,
 * the file is not writable, or the last update is younger than the tunable
 * wsb_interval.
 */
#include "kernel/proc/wsb.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "kernel/dev/time.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/tunable.h"
#include "kernel/lib/x86.h"
#include "kernel/proc/elf.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/sched.h"
#include "mm/filemap.h"
#include "mm/slab.h"
#include "mm/vm.h"

struct wsb_stats wsb_stats;

static int wsb_mode = 1;		/* 0 off, 1 on */
static const char *const modes[] = { "off", "on", NULL };
TUNABLE_CHOICE_RUNTIME(wsb, &wsb_mode, modes,
		       "working-set bitmaps: prefetch at exec and record at exit (on), or neither");

static int wsb_interval = 60;
TUNABLE_INT_RUNTIME(wsb_interval, &wsb_interval, 0, 86400,
		    "seconds at least between two updates of one executable's bitmap");

/* sync: exec reads and maps the pages before the program starts; async: a
   kernel thread reads them while it runs (measured: docs/working-set.md) */
static int wsb_prefetch;
static const char *const prefetch_modes[] = { "sync", "async", NULL };
TUNABLE_CHOICE_RUNTIME(wsb_prefetch, &wsb_prefetch, prefetch_modes,
		       "working-set prefetch before the program starts (sync) or beside it (async)");

static int wsb_gap = 8;
TUNABLE_INT_RUNTIME(wsb_gap, &wsb_gap, 0, FILEMAP_RUN,
		    "pages apart two prefetched pages may be and still be read in one request");

/* What exec found, kept on the mm until it goes. */
struct wsb {
	struct file *file;		/* counted: the executable */
	uint32_t desc;			/* file offset of the struct wsb_desc */
	struct wsb_desc d;
	uint32_t bytes;			/* of one bitmap */
};

static uint32_t bitmap_bytes(uint32_t npages)
{
	return (npages + 31) / 32 * 4;
}

static uint32_t copy_size(const struct wsb *w)
{
	return sizeof(struct wsb_copy) + w->d.history * w->bytes;
}

/* Read n bytes at off of f: 0, or -1 if fewer came. */
static int read_exact(struct file *f, uint32_t off, void *buf, uint32_t n)
{
	int r = vfs_lseek(f, off, SEEK_SET);

	return r >= 0 && vfs_read(f, buf, n) == (int)n ? 0 : -1;
}

/* The note at [off, off+size) of f, if it is ours and well formed: w filled. */
static bool parse_note(struct file *f, uint32_t off, uint32_t size, struct wsb *w)
{
	struct { uint32_t namesz, descsz, type; char name[8]; } __attribute__((packed)) h;
	uint32_t file_pages = (f->ip->size + PGSIZE - 1) / PGSIZE;

	if (size < sizeof(h) + sizeof(struct wsb_desc) || size > WSB_MAX_NOTE ||
	    read_exact(f, off, &h, sizeof(h)) < 0)
		return false;
	if (h.namesz != 7 || memcmp(h.name, "Pagoda", 7) || h.type != NT_PAGODA_WSB ||
	    h.descsz != size - sizeof(h))
		return false;
	w->desc = off + sizeof(h);
	if (read_exact(f, w->desc, &w->d, sizeof(w->d)) < 0)
		return false;
	struct wsb_desc *d = &w->d;
	if (d->magic != WSB_MAGIC || d->version != WSB_VERSION || d->policy > WSB_AGING ||
	    d->history < 1 || d->history > WSB_MAX_HISTORY || d->keep < 1 ||
	    d->keep > d->history || d->npages == 0 || d->npages > file_pages)
		return false;			/* a bitmap larger than the file is not one we made */
	w->bytes = bitmap_bytes(d->npages);
	return h.descsz == sizeof(*d) + 2 * copy_size(w);
}

/* On the disk a set bit is a page not touched (a new note is all ones, so
   none of its blocks is a hole an update would have to allocate); in
   memory, here, a set bit is a page touched. */
static void invert(const struct wsb *w, uint8_t *copy)
{
	for (uint32_t b = sizeof(struct wsb_copy); b < copy_size(w); b++)
		copy[b] ^= 0xff;
}

/* Read both copies into buf (2 * copy_size), bitmaps made positive; the
   current one's index, or -1. */
static int current_copy(const struct wsb *w, uint8_t *buf)
{
	int best = -1;
	uint32_t cs = copy_size(w), seq = 0;

	if (read_exact(w->file, w->desc + sizeof(w->d), buf, 2 * cs) < 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		const struct wsb_copy *c = (const struct wsb_copy *)(buf + k * cs);
		if (crc32(0, buf + k * cs + 8, cs - 8) != c->crc)
			continue;		/* torn or damaged: the other one then */
		if (best < 0 || c->seq > seq) {
			best = k;
			seq = c->seq;
		}
	}
	for (int k = 0; k < 2; k++)
		invert(w, buf + k * cs);
	return best;
}

static bool bit(const uint8_t *map, uint32_t i)
{
	return map[i / 8] & (1u << (i % 8));
}

/* Is file page i marked for prefetch in copy c? */
static bool marked(const struct wsb *w, const uint8_t *c, uint32_t i)
{
	const uint8_t *maps = c + sizeof(struct wsb_copy);
	unsigned seen = 0;

	if (w->d.policy != WSB_AGING)
		return bit(maps, i);
	for (unsigned h = 0; h < w->d.history; h++)
		seen += bit(maps + h * w->bytes, i);
	return seen >= w->d.keep;
}

/* The address a mapped segment gives file page i, or 0. */
static uint32_t page_va(const struct elf_hdr *eh, const struct elf_phdr *ph, uint32_t i)
{
	for (int k = 0; k < eh->phnum; k++) {
		const struct elf_phdr *p = &ph[k];
		uint32_t first = p->offset / PGSIZE;
		if (p->type != PT_LOAD || p->filesz == 0 || i < first ||
		    i > (p->offset + p->filesz - 1) / PGSIZE)
			continue;
		return PGROUNDDOWN(p->vaddr) + (i - first) * PGSIZE;
	}
	return 0;
}

/* A background prefetch: the pages of one exec, for wsbd to read. */
struct job {
	struct list_head link;
	struct filemap *map;		/* counted (filemap_get) */
	uint32_t n;
	uint32_t idx[];
};

static struct list_head jobs = LIST_HEAD_INIT(jobs);
static struct waitq jobs_wait = WAITQ_INIT(jobs_wait);
static struct task *wsbd;

/* The background prefetcher: reads each job's pages into the page cache. */
static void wsbd_main(void)
{
	for (;;) {
		cli();
		while (list_empty(&jobs))
			waitq_sleep(&jobs_wait);
		struct job *j = list_entry(jobs.next, struct job, link);
		list_del(&j->link);
		sti();
		filemap_prefetch(j->map, j->idx, j->n, wsb_gap);
		filemap_put(j->map);
		kfree(j);
	}
}

/* Hand the pages to wsbd; false if that cannot be done (then read them here). */
static bool prefetch_async(struct filemap *m, const uint32_t *idx, uint32_t n)
{
	struct job *j;
	int was;

	if (!wsbd && !(wsbd = kthread_start("wsbd", wsbd_main)))
		return false;
	if (!(j = kmalloc(sizeof(*j) + n * sizeof(uint32_t))))
		return false;
	j->map = filemap_get(m);
	j->n = n;
	memcpy(j->idx, idx, n * sizeof(uint32_t));
	was = irq_save();
	list_add_tail(&j->link, &jobs);
	waitq_wake(&jobs_wait);
	irq_restore(was);
	return true;
}

static void prefetch(struct mm *mm, struct wsb *w, const uint8_t *c, const struct elf_hdr *eh,
		     const struct elf_phdr *ph)
{
	uint32_t *idx = kmalloc(w->d.npages * sizeof(uint32_t)), n = 0;

	if (!idx)
		return;
	for (uint32_t i = 0; i < w->d.npages; i++)	/* ascending: the disk's order */
		if (marked(w, c, i) && page_va(eh, ph, i))
			idx[n++] = i;
	if (wsb_prefetch == 1 && n && prefetch_async(&w->file->ip->map, idx, n)) {
		kfree(idx);			/* the program faults in what is not there yet */
		return;
	}
	filemap_prefetch(&w->file->ip->map, idx, n, wsb_gap);
	for (uint32_t k = 0; k < n; k++)
		if (vm_populate(mm, page_va(eh, ph, idx[k])) == 0)
			wsb_stats.prefetched++;
	kfree(idx);
}

void wsb_exec(struct mm *mm, struct file *f, const struct elf_hdr *eh, const struct elf_phdr *ph)
{
	struct wsb *w;
	uint8_t *buf;
	int cur;

	if (!wsb_mode || !(w = kzalloc(sizeof(*w))))
		return;
	for (int k = 0; k < eh->phnum; k++)
		if (ph[k].type == PT_NOTE && parse_note(f, ph[k].offset, ph[k].filesz, w))
			goto found;
	kfree(w);
	return;
found:
	w->file = f;
	if (!(buf = kmalloc(2 * copy_size(w))) || (cur = current_copy(w, buf)) < 0) {
		wsb_stats.ignored += buf != NULL;	/* both copies bad */
		kfree(buf);
		kfree(w);
		return;
	}
	wsb_stats.execs++;
	if (w->d.flags & WSB_F_PREFETCH)
		prefetch(mm, w, buf + cur * copy_size(w), eh, ph);
	kfree(buf);
	w->file = vfs_dup(f);
	mm->wsb = w;
}

/* Mark in touched[] the pages of w's file that mm maps with the accessed bit set. */
static void harvest(struct mm *mm, struct wsb *w, uint8_t *touched)
{
	struct list_head *pos;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		if (v->kind != VMA_FILE || v->file != &w->file->ip->map)
			continue;
		for (uint32_t va = v->start; va < v->end && va < v->file_end; va += PGSIZE) {
			pte_t *e = mm_pte(mm, va);
			uint32_t i = v->pgoff + (va - v->start) / PGSIZE;
			if (e && pte_present(*e) && pte_young(*e) && i < w->d.npages)
				touched[i / 8] |= 1u << (i % 8);
		}
	}
}

/* Write copy (its bitmaps filled) as the one after cur: 0 or -E. */
static int write_copy(struct wsb *w, uint8_t *copy, const struct wsb_copy *cur, int slot)
{
	struct wsb_copy *c = (struct wsb_copy *)copy;
	uint32_t cs = copy_size(w);

	c->seq = cur->seq + 1;
	c->when = time_now();
	c->runs = cur->runs + 1;
	invert(w, copy);
	for (uint32_t b = w->d.npages; b < w->bytes * 8; b++)	/* past the file: ones */
		for (unsigned h = 0; h < w->d.history; h++)
			copy[sizeof(*c) + h * w->bytes + b / 8] |= 1u << (b % 8);
	c->crc = crc32(0, copy + 8, cs - 8);
	return vfs_write_inplace(w->file->ip, w->desc + sizeof(w->d) + slot * cs, copy, cs);
}

static void record(struct mm *mm, struct wsb *w)
{
	struct inode *ip = w->file->ip;
	uint32_t cs = copy_size(w);
	uint8_t *buf, *next;
	int cur;

	if (!(w->d.flags & WSB_F_RECORD) || ip->sb->readonly || !(ip->mode & 0222)) {
		wsb_stats.skipped++;		/* (prefetch still helps a reader) */
		return;
	}
	/* the copies as they are now: another run of the file may have written */
	if (!(buf = kmalloc(3 * cs)) || (cur = current_copy(w, buf)) < 0) {
		kfree(buf);
		return;
	}
	const struct wsb_copy *c = (const struct wsb_copy *)(buf + cur * cs);
	if (c->seq && time_now() - c->when < (uint32_t)wsb_interval) {
		wsb_stats.skipped++;
		kfree(buf);
		return;
	}
	next = buf + 2 * cs;
	memset(next, 0, cs);
	uint8_t *maps = next + sizeof(struct wsb_copy), *old = buf + cur * cs + sizeof(*c);
	harvest(mm, w, maps);			/* the newest run first */
	if (w->d.policy == WSB_OR)
		for (uint32_t b = 0; b < w->bytes; b++)
			maps[b] |= old[b];
	else if (w->d.policy == WSB_AGING)	/* the older runs move down one */
		memcpy(maps + w->bytes, old, (w->d.history - 1) * w->bytes);
	if (write_copy(w, next, c, 1 - cur) == 0)
		wsb_stats.updates++;
	kfree(buf);
}

void wsb_exit(struct mm *mm)
{
	struct wsb *w = mm->wsb;

	if (!w)
		return;
	record(mm, w);
	wsb_drop(mm);
}

void wsb_drop(struct mm *mm)
{
	struct wsb *w = mm->wsb;

	if (!w)
		return;
	mm->wsb = NULL;
	vfs_close(w->file);
	kfree(w);
}
