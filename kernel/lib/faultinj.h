/*
 * kernel/lib/faultinj.h: making allocations and requests fail on purpose,
 * to walk the error paths that real machines take only rarely.
 *
 * A subsystem defines a named fault point and asks it before the thing
 * that can fail:
 *
 *     FAULT_POINT(page);
 *     ...
 *     if (fault_hit(&fault_page))
 *             return NULL;
 *
 * Points are armed to fail the N-th call from now (once), or each call
 * with a probability of R per 1000 (pseudo-random, repeatable). The `fail`
 * option arms them at boot (fail=page@120,disk%5); self-tests arm them
 * with fault_arm, and so may user programs (the faultinj system call)
 * when the kernel was booted with `fault_inject`. While no point is
 * armed, each costs one load and a branch.
 *
 * The points: page (alloc_pages), slab (kmem_cache_alloc), block (ext2
 * block allocation: -ENOSPC), disk (block-layer requests: -EIO).
 */
#ifndef KERNEL_LIB_FAULTINJ_H
#define KERNEL_LIB_FAULTINJ_H

#include <stdbool.h>
#include <stdint.h>

struct fault_point {
	const char *name;
	uint32_t nth;			/* fail call number nth from arming (once); 0: no */
	uint32_t permille;		/* fail this many calls in 1000; 0: none */
	uint32_t calls;			/* since arming */
	uint32_t state;			/* the pseudo-random sequence for permille */
	uint32_t failed;		/* failures made since arming */
};

#define FAULT_POINT(id)							\
	struct fault_point fault_##id					\
	__attribute__((used, section(".fault_points"), aligned(4))) = { .name = #id }

/* The slow half of fault_hit: count the call, and say whether it fails. */
bool fault_hit_armed(struct fault_point *fp);
/* Is any point armed? (The one thing a call asks while none is.) */
extern bool fault_any_armed;

/* Should this call at fp fail? */
static inline bool fault_hit(struct fault_point *fp)
{
	return __builtin_expect(fault_any_armed, 0) && (fp->nth | fp->permille) &&
	       fault_hit_armed(fp);
}

/* Arm fp: fail call nth from now (0: none), and permille calls in 1000. */
void fault_arm(struct fault_point *fp, uint32_t nth, uint32_t permille);
/* The point called name, or NULL. */
struct fault_point *fault_find(const char *name);
/* Disarm every point. */
void fault_disarm_all(void);
/* May user programs arm points (the fault_inject option)? */
bool fault_user_allowed(void);

extern struct fault_point __fault_points_start[], __fault_points_end[];
#endif
