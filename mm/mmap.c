/*
 * mm/mmap.c: changing an address space's regions, the way the mmap,
 * munmap, mprotect and sbrk calls (and exec) need: the region set
 * (mm/vma.c) first, then the page tables to match (mm/vm.c), after giving
 * the address space its own copy of any table it shares but changes only
 * in part (mm/share.c). This is the top of mm: it uses all three.
 */
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "mm/vm_internal.h"

/*
 * Before changing entries in [start, end): give mm its own copy of every
 * shared table the range covers only in part (a table covered whole is
 * simply let go of, by zap_range). -ENOMEM, with nothing changed yet.
 */
static int unshare_range(struct mm *mm, uint32_t start, uint32_t end, bool whole_ok)
{
	for (uint32_t va = start; va < end; va = (va | (PDSIZE - 1)) + 1) {
		uint32_t pdx = PDX(va), stop = MIN(end, (va | (PDSIZE - 1)) + 1);
		bool whole = va == PGADDR(pdx, 0) && (stop == 0 || stop - va == PDSIZE);
		if (pt_shared_at(mm, pdx) && !(whole && whole_ok) && pt_unshare(mm, pdx) < 0)
			return -ENOMEM;
		if (stop == 0)
			break;
	}
	return 0;
}

int mm_map(struct mm *mm, uint32_t start, uint32_t len, unsigned prot, enum vma_kind kind)
{
	struct vma v = { .start = start, .end = start + len, .prot = prot, .kind = kind };

	return vma_add(mm, &v);
}

int mm_map_file(struct mm *mm, uint32_t start, uint32_t len, unsigned prot,
		struct filemap *map, uint32_t pgoff, uint32_t file_end)
{
	struct vma v = { .start = start, .end = start + len, .prot = prot, .kind = VMA_FILE,
			 .file = map, .pgoff = pgoff, .file_end = file_end };

	return vma_add(mm, &v);
}

static bool range_ok(uint32_t start, uint32_t len)
{
	return len && !(start & (PGSIZE - 1)) && !(len & (PGSIZE - 1)) &&
	       start < USER_TOP && len <= USER_TOP - start;
}

int mm_unmap(struct mm *mm, uint32_t start, uint32_t len)
{
	uint32_t end = start + len;

	if (!range_ok(start, len))
		return -EINVAL;
	if (unshare_range(mm, start, end, true) < 0 || vma_split_range(mm, start, end) < 0)
		return -ENOMEM;
	vma_remove_range(mm, start, end);
	zap_range(mm, start, end);
	return 0;
}

static bool covered(struct mm *mm, uint32_t start, uint32_t end)
{
	for (uint32_t va = start; va < end;) {
		struct vma *v = vma_find(mm, va);
		if (!v)
			return false;
		va = v->end;
	}
	return true;
}

int mm_protect(struct mm *mm, uint32_t start, uint32_t len, unsigned prot)
{
	uint32_t end = start + len;

	if (!range_ok(start, len) || !covered(mm, start, end))
		return -EINVAL;
	if (unshare_range(mm, start, end, false) < 0 || vma_protect_range(mm, start, end, prot) < 0)
		return -ENOMEM;
	/*
	 * Taking write away clears R/W now; giving it back waits for a fault.
	 * No access at all (x86 cannot make a present page unreadable) clears
	 * U/S, so user mode faults; copy_from_user checks the region itself.
	 */
	for (uint32_t va = start; va < end; va += PGSIZE) {
		pte_t *e = mm_pte(mm, va);
		if (!e || !pte_present(*e))
			continue;
		if (!(prot & VM_WRITE))
			*e = pte_wrprotect(*e);
		*e = (prot & (VM_READ | VM_WRITE | VM_EXEC)) ? *e | PTE_U : *e & ~PTE_U;
	}
	tlb_flush_range(mm, start, end);
	return 0;
}

bool mm_readable(struct mm *mm, uint32_t va, uint32_t len)
{
	uint32_t end = va + len;

	if (!mm || end < va)
		return false;
	while (va < end) {
		struct vma *v = vma_find(mm, va);
		if (!v || !(v->prot & (VM_READ | VM_WRITE | VM_EXEC)))
			return false;
		va = v->end;
	}
	return true;
}

