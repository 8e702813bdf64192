/*
 * kernel/lib/tunable.h: options a subsystem takes from the kernel command
 * line, declared beside the variable they set:
 *
 *     static bool vmcheck;
 *     TUNABLE_FLAG(vmcheck, &vmcheck, "check the rmap after every fork and exit");
 *
 * Each declaration puts a struct tunable in the .tunables section, which
 * the linker gathers into one table; kmain hands the command line to
 * cmdline_apply (kernel/lib/cmdline.h), which sets every option it names.
 * So an option reaches mm or fs as a value in their own variable: no layer
 * below the top reads the command line, and none includes its parser.
 */
#ifndef KERNEL_LIB_TUNABLE_H
#define KERNEL_LIB_TUNABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tunable_kind {
	TUNE_FLAG,		/* a bare word sets a bool */
	TUNE_INT,		/* name=N sets an int in [min, max] */
	TUNE_CHOICE,		/* name=WORD sets an int to WORD's index in choices */
	TUNE_CALL,		/* set() does it all (validation, copying) */
};

struct tunable {
	const char *name;
	enum tunable_kind kind;
	void *var;				/* FLAG: bool; INT, CHOICE: int */
	int min, max;				/* INT */
	const char *const *choices;		/* CHOICE: NULL-terminated */
	/* CALL: apply val (NULL for a bare word); NULL if fine, else what was wrong */
	const char *(*set)(const char *val, size_t len);
	const char *help;			/* one line, for the docs and warnings */
	bool runtime;				/* may also be set while running (tunable_set) */
};

#define TUNABLE_DEFINE(id, ...)						\
	static const struct tunable tunable_##id			\
	__attribute__((used, section(".tunables"), aligned(4))) = { __VA_ARGS__ }

/* A flag: the bare word `id` sets *v to true. */
#define TUNABLE_FLAG(id, v, text)					\
	TUNABLE_DEFINE(id, .name = #id, .kind = TUNE_FLAG, .var = (v), .help = (text))

/* A number: `id=N` with lo <= N <= hi sets the int *v. */
#define TUNABLE_INT(id, v, lo, hi, text)				\
	TUNABLE_DEFINE(id, .name = #id, .kind = TUNE_INT, .var = (v),	\
		       .min = (lo), .max = (hi), .help = (text))

/* One of several words: `id=WORD` stores WORD's index in list in the int *v. */
#define TUNABLE_CHOICE(id, v, list, text)				\
	TUNABLE_DEFINE(id, .name = #id, .kind = TUNE_CHOICE, .var = (v),	\
		       .choices = (list), .help = (text))

/* A choice that a running system may change too (sysinfo SI_SET, sysctl). */
#define TUNABLE_CHOICE_RUNTIME(id, v, list, text)			\
	TUNABLE_DEFINE(id, .name = #id, .kind = TUNE_CHOICE, .var = (v),	\
		       .choices = (list), .help = (text), .runtime = true)

/* A number a running system may change too. */
#define TUNABLE_INT_RUNTIME(id, v, lo, hi, text)			\
	TUNABLE_DEFINE(id, .name = #id, .kind = TUNE_INT, .var = (v),	\
		       .min = (lo), .max = (hi), .help = (text), .runtime = true)

/* Anything else: fn(value, length) applies it and returns NULL or what was wrong. */
#define TUNABLE_CALL(id, fn, text)					\
	TUNABLE_DEFINE(id, .name = #id, .kind = TUNE_CALL, .set = (fn), .help = (text))

/* The registered tunables, in link order. */
extern const struct tunable __tunables_start[], __tunables_end[];
#endif
