/*
 * mm/vm.h: address spaces and their regions.
 *
 * A struct mm is one address space: a page directory whose kernel half
 * (entries KERN_PDX..1023) is a copy of the boot directory's, so every
 * address space sees the same kernel; and its regions (struct vma), each a
 * page-aligned range with a protection and a kind, kept sorted and in a
 * search tree, and merged when they touch and match (mm/vma.c).
 * Pages arrive on demand, through vm_fault (mm/fault.c).
 *
 * Reference rules: each present PTE holds one reference on its page and
 * one rmap entry; a region of kind VMA_SHARED holds one reference on its
 * struct shmem, which holds one reference on each page it has filled; a
 * region of kind VMA_FILE holds one reference on its file's owner, taken
 * and dropped through the filemap's operations (mm/filemap.h).
 *
 * Which address space is "active" is whichever directory CR3 holds: the
 * scheduler loads each task's own, and mm_activate changes the current
 * task's. TLB entries can be cached only for the active one.
 */
#ifndef MM_VM_H
#define MM_VM_H

#include "kernel/arch/mmu.h"
#include "kernel/lib/list.h"
#include "kernel/lib/rbtree.h"
#include "kernel/lib/x86.h"
#include "mm/pgtable.h"

#define VM_READ		0x1
#define VM_WRITE	0x2
#define VM_EXEC		0x4
#define VM_NORESERVE	0x8	/* never counted as committed memory (the stack) */

enum vma_kind {
	VMA_ANON,		/* private anonymous: zero-filled, copy-on-write after fork */
	VMA_SHARED,		/* shared anonymous: one set of pages for every mapper */
	VMA_FILE,		/* file-backed: through the page cache (mm/fault.c fault_file) */
};

/* The pages of a shared anonymous mapping, by page offset. */
struct shmem {
	int refs;		/* regions using it */
	uint32_t npages;
	struct page *pages[];	/* NULL until first touched */
};

struct filemap;
struct wsb;

struct vma {
	struct rb_node rb;	/* in mm->vma_tree, keyed by start (first: fork's copy is faster) */
	struct list_head link;	/* on mm->vmas, sorted by start */
	uint32_t start, end;	/* [start, end), page-aligned */
	unsigned prot;		/* VM_* */
	enum vma_kind kind;
	struct shmem *shm;	/* VMA_SHARED */
	struct filemap *file;	/* VMA_FILE: counted reference (filemap_get); NULL: no backing */
	uint32_t file_end;	/* VMA_FILE: file data ends here; zeros after */
	uint32_t pgoff;		/* page offset of start in shm (or the file) */
	struct vma *copy;	/* while fork copies the set: this region's copy */
	bool charged;		/* its pages are counted in the committed memory */
};

enum fault_class {
	/* served: the access is retried */
	FAULT_DEMAND_ZERO,	/* first touch of an anonymous page */
	FAULT_SHARED,		/* a shared page mapped (filled first if new) */
	FAULT_COW_COPY,		/* write to a shared private page: copied */
	FAULT_COW_REUSE,	/* write to a private page no one else holds: made writable */
	FAULT_FILE,		/* a file page mapped from the page cache */
	FAULT_SPURIOUS,		/* already fixed (a stale TLB entry) */
	FAULT_SWAPIN,		/* a swapped-out page brought back (a major fault) */
	/* not served: the process gets an error (kernel: -EFAULT or a panic) */
	FAULT_OUTSIDE,		/* no region covers the address */
	FAULT_PROTECTION,	/* the region does not allow the access */
	FAULT_NOMEM,		/* out of memory */
	FAULT_NOBACKING,	/* a file region with no file behind it */
	NFAULT
};

#define FAULT_WRITE	0x1	/* the access was a write */
#define FAULT_USER	0x2	/* from user mode */
#define FAULT_PRESENT	0x4	/* the page was present (a protection fault) */
#define FAULT_POPULATE	0x8	/* no fault: exec mapping a page ahead (vm_populate) */

struct mm {
	pde_t *pgdir;			/* kernel virtual address of the directory */
	uint32_t cr3;			/* its physical address: what CR3 holds when mm runs */
	struct list_head vmas;		/* sorted, non-overlapping, never two that could merge */
	struct list_head pt_users;	/* its struct pt_user, one per table it points at */
	struct rb_root vma_tree;	/* the same regions, for lookup by address */
	struct vma *vma_cache;		/* the region vma_find found last, or NULL */
	uint32_t nr_vmas;
	uint32_t gap_lo, gap_below;	/* regions cover [gap_lo, gap_below) whole (vma_find_gap) */
	struct list_head link;		/* on all_mms */
	uint32_t rss;			/* pages mapped */
	uint32_t nr_pt;			/* page tables this directory points at */
	uint32_t faults[NFAULT];	/* by class */
	uint32_t major_faults;		/* file faults that waited for the disk */
	struct wsb *wsb;		/* the process layer's working-set bitmap state
					   (kernel/proc/wsb.c); mm only carries it */
	/* while exec builds this mm: the committed pages of the one it replaces,
	   which it may use too, since they are given back when it takes over */
	uint32_t commit_credit;
};

/* Every address space, for rmap_verify. */
extern struct list_head all_mms;
extern uint32_t nr_mms;		/* on all_mms */

/* How fork copies an address space: the `fork` option (share is the default). */
enum fork_mode { FORK_SHARE, FORK_COPY };
extern int vm_fork_mode;

/* A new, empty address space; NULL if out of memory. */
struct mm *mm_create(void);
/* Swap entries in mm's page tables (each of a shared table's counts for every user). */
uint32_t mm_swap_entries(struct mm *mm);
/* Unmap everything and free the address space. */
void mm_destroy(struct mm *mm);
/* Load mm's directory into CR3 (NULL: the boot directory); the current task keeps it. */
void mm_activate(struct mm *mm);
/* The address space whose directory CR3 holds; NULL for the boot directory. */
struct mm *mm_active(void);

/* Is mm's directory in CR3 (so the TLB may hold its entries)? */
static inline bool mm_is_active(const struct mm *mm)
{
	return mm->cr3 == rcr3();
}

/* Add a region; -EINVAL if misaligned, outside user space or overlapping; -ENOMEM. */
int mm_map(struct mm *mm, uint32_t start, uint32_t len, unsigned prot, enum vma_kind kind);
/*
 * Map file pages [pgoff, ...) of map at [start, start+len), privately: the
 * page cache's pages are shared until written (copy-on-write); bytes from
 * the virtual address file_end on read as zeros. Takes its own reference
 * on the file (filemap_get).
 */
int mm_map_file(struct mm *mm, uint32_t start, uint32_t len, unsigned prot,
		struct filemap *map, uint32_t pgoff, uint32_t file_end);
/* Remove [start, start+len) from every region and unmap its pages; -EINVAL, -ENOMEM. */
int mm_unmap(struct mm *mm, uint32_t start, uint32_t len);
/* Change the protection of [start, start+len), which regions must cover; -EINVAL, -ENOMEM. */
int mm_protect(struct mm *mm, uint32_t start, uint32_t len, unsigned prot);
/* Do regions allowing some access cover every byte of [va, va+len)? */
bool mm_readable(struct mm *mm, uint32_t va, uint32_t len);
/* The region containing va, or NULL. O(log regions), O(1) if it was the last found. */
struct vma *vma_find(struct mm *mm, uint32_t va);
/* The lowest address in [lo, hi) where len bytes, aligned to align, touch no region; 0 if none. */
uint32_t vma_find_gap(struct mm *mm, uint32_t lo, uint32_t hi, uint32_t len, uint32_t align);
/* A copy of src for fork=copy: every table copied, private pages copy-on-write. */
struct mm *mm_dup(struct mm *src);
/* A copy of src for fork=share: the page tables shared, write-protected (mm/share.c). */
struct mm *mm_share(struct mm *src);
/* mm_share or mm_dup, as the fork= boot option says. */
struct mm *mm_fork(struct mm *src);

/* The PTE mapping va in mm, or NULL if there is no page table there. */
pte_t *mm_pte(struct mm *mm, uint32_t va);
/* Serve a fault at va (FAULT_* flags); returns its class. */
enum fault_class vm_fault(struct mm *mm, uint32_t va, unsigned flags);
/*
 * The kernel memory an address space costs, in bytes: its page directory,
 * the page tables only it uses, its share of the tables it shares (a
 * table's size over its users), the reverse-map items and table
 * descriptors (shared ones shared the same way, its own pt_user whole), and
 * its regions with the struct mm itself.
 */
struct mm_kmem {
	uint32_t pgdir, tables, shared, rmap, regions;
};
void mm_kmem(struct mm *mm, struct mm_kmem *k);
/* Map the page at va as a read fault would, ahead of any access (exec's
   prefetch): 0, or -1 if no read fault there would be served. Not counted
   as a fault. */
int vm_populate(struct mm *mm, uint32_t va);
/*
 * Describe a fault that was not served, for the message that goes with
 * killing the process: the address, the access and the region.
 */
int vm_fault_describe(struct mm *mm, uint32_t va, unsigned flags, enum fault_class c,
		      char *buf, size_t size);
/* A fault class's name, for messages and vmstat. */
const char *fault_class_name(enum fault_class c);
static inline bool fault_served(enum fault_class c)
{
	return c < FAULT_OUTSIDE;
}

/* Clear the PTE at (pt, index) in every user of pt; drops the page's reference. */
void pte_zap(struct pgtable *pt, unsigned index);
/* Clear every PTE that maps page (found through its rmap), freeing tables left
   empty; returns how many. */
int try_to_unmap(struct page *page);
/* Turn every PTE that maps page, which is in the swap cache, into a swap entry. */
void try_to_unmap_swap(struct page *page);
/* How many PTEs mapping page had their accessed bit set (now cleared). */
int page_referenced(struct page *page);

struct vm_stats {
	uint32_t faults[NFAULT];	/* by class, all address spaces */
	uint32_t invlpg;		/* single-page TLB flushes */
	uint32_t cr3_reloads;		/* whole-TLB flushes */
	uint32_t pt_shared;		/* tables shared at fork (one per table per fork) */
	uint32_t pt_unshared;		/* tables copied on a write */
	uint32_t pt_rewritable;		/* tables given write access back to a sole user */
	uint32_t pt_detached;		/* shared tables let go by an exit, exec or unmap */
	uint32_t pde_faults;		/* writes through a write-protected directory entry */
	uint32_t pt_reaped;		/* tables freed because reclaim emptied them */
	uint32_t major_faults;		/* file faults that waited for the disk */
	uint32_t populated;		/* pages mapped ahead of any fault (vm_populate) */
};
extern struct vm_stats vm_stats;

/*
 * Committed memory (mm/vma.c): pages promised to private writable regions,
 * which sbrk and mmap may not take past the limit (the `overcommit`
 * option, strict by default). In pages.
 */
uint32_t vm_committed(void);
uint32_t vm_commit_limit(void);
/* exec: let mm (being built) commit as much again as old has committed,
   which old gives back when mm replaces it; old NULL ends that. */
void mm_commit_credit(struct mm *mm, struct mm *old);

/* Make the address-space caches, page tables' and rmap's. */
void vm_init(void);
#endif
