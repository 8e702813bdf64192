/*
 * tests/kernel/mm_test.h: helpers shared by the address-space self-tests.
 * They touch user memory the way system calls will: through copy_to_user
 * and copy_from_user on the active address space, so real page faults
 * happen and are served.
 */
#ifndef TESTS_KERNEL_MM_TEST_H
#define TESTS_KERNEL_MM_TEST_H

#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "mm/rmap.h"
#include "mm/vmcheck.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "tests/kernel/ktest.h"

#define UBASE	0x10000000u	/* where the tests put their regions */

/* Write a word at user address va of mm (made active); 0 or -EFAULT. */
static inline int uput(struct mm *mm, uint32_t va, uint32_t v)
{
	mm_activate(mm);
	return copy_to_user(va, &v, sizeof(v));
}

/* Read the word at va of mm into *v; 0 or -EFAULT. */
static inline int uget(struct mm *mm, uint32_t va, uint32_t *v)
{
	mm_activate(mm);
	return copy_from_user(v, va, sizeof(*v));
}

/* The word at va, or 0xdeadbeef if it cannot be read. */
static inline uint32_t uword(struct mm *mm, uint32_t va)
{
	uint32_t v;

	return uget(mm, va, &v) == 0 ? v : 0xdeadbeefu;
}

static inline struct page *upage(struct mm *mm, uint32_t va)
{
	pte_t *e = mm_pte(mm, va);

	return e && pte_present(*e) ? pfn_to_page(pte_pfn(*e)) : NULL;
}

/* An address space with n private pages at UBASE, page i holding first + i; NULL on failure. */
static inline struct mm *mm_with_pages(int n, uint32_t first)
{
	struct mm *mm = mm_create();

	if (!mm || mm_map(mm, UBASE, n * PGSIZE, VM_READ | VM_WRITE, VMA_ANON) < 0)
		return NULL;
	for (int i = 0; i < n; i++)
		if (uput(mm, UBASE + i * PGSIZE, first + i) < 0)
			return NULL;
	return mm;
}

static inline void mm_done(struct mm *mm)
{
	mm_activate(NULL);
	mm_destroy(mm);
}
#endif
