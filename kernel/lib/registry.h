/*
 * kernel/lib/registry.h: tables the linker gathers, so that a subsystem
 * (or a test) registers itself where it is written and nothing calls it
 * by name from above. Like the self-tests' .ktest section, each macro
 * puts one descriptor into a section that linker.ld collects between two
 * symbols.
 *
 *   BOOT_HOOK        work kmain runs once the kernel is up and before
 *                    the first user program: the self-tests and the
 *                    in-kernel benchmarks register here (each acts only
 *                    when its own command-line option asked for it)
 *   PANIC_HOOK       told about a panic before the machine stops (the
 *                    self-test framework marks the running test failed)
 *   RESOURCE_COUNT   a subsystem's count of something a test must give
 *                    back (free pages, slab objects), and how to first
 *                    drop what its caches merely keep
 *   CONSISTENCY_CHECK a subsystem's check of its own invariants
 *                    (rmap_verify), run after every self-test
 */
#ifndef KERNEL_LIB_REGISTRY_H
#define KERNEL_LIB_REGISTRY_H

#define REGISTRY_ENTRY(sec)	__attribute__((used, section(sec), aligned(4)))

struct boot_hook {
	const char *name;
	void (*fn)(void);
};

#define BOOT_HOOK(id, func)						\
	static const struct boot_hook boot_hook_##id REGISTRY_ENTRY(".boot_hooks") = \
		{ #id, func }

struct panic_hook {
	const char *name;
	void (*fn)(const char *msg);
};

#define PANIC_HOOK(id, func)						\
	static const struct panic_hook panic_hook_##id REGISTRY_ENTRY(".panic_hooks") = \
		{ #id, func }

struct resource_count {
	const char *name;		/* what is counted: "free pages" */
	int stage;			/* settle order: caches above first (0), then below */
	void (*settle)(void);		/* drop what is only cached; NULL if nothing */
	unsigned long (*count)(void);	/* the count; NULL for a settle step alone */
};

#define RESOURCE_COUNT(id, what, stg, settle_fn, count_fn)		\
	static const struct resource_count resource_count_##id			\
	REGISTRY_ENTRY(".resource_counts") = { what, stg, settle_fn, count_fn }

struct consistency_check {
	const char *name;
	int (*verify)(void);		/* problems found (each printed); 0 if none */
};

#define CONSISTENCY_CHECK(id, fn)					\
	static const struct consistency_check consistency_check_##id		\
	REGISTRY_ENTRY(".consistency_checks") = { #id, fn }

extern const struct boot_hook __boot_hooks_start[], __boot_hooks_end[];
extern const struct panic_hook __panic_hooks_start[], __panic_hooks_end[];
extern const struct resource_count __resource_counts_start[], __resource_counts_end[];
extern const struct consistency_check __consistency_checks_start[],
	__consistency_checks_end[];
#endif
