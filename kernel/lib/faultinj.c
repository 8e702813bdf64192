/*
 * kernel/lib/faultinj.c: fault points, and the `fail` and `fault_inject`
 * options (see kernel/lib/faultinj.h).
 */
#include "kernel/lib/faultinj.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/tunable.h"

static bool user_allowed;
TUNABLE_FLAG(fault_inject, &user_allowed,
	     "let user programs make kernel allocations fail (the faultinj call)");

bool fault_any_armed;

/* Recount after a point was armed or went off for good. */
static void armed_changed(void)
{
	fault_any_armed = false;
	for (struct fault_point *fp = __fault_points_start; fp < __fault_points_end; fp++)
		fault_any_armed |= (fp->nth | fp->permille) != 0;
}

bool fault_user_allowed(void)
{
	return user_allowed;
}

bool fault_hit_armed(struct fault_point *fp)
{
	bool fail = ++fp->calls == fp->nth;

	if (fp->permille) {
		fp->state = fp->state * 1103515245u + 12345u;
		fail |= (fp->state >> 16) % 1000 < fp->permille;
	}
	if (fp->calls == fp->nth) {
		fp->nth = 0;			/* once */
		armed_changed();
	}
	fp->failed += fail;
	return fail;
}

void fault_arm(struct fault_point *fp, uint32_t nth, uint32_t permille)
{
	fp->nth = nth;
	fp->permille = MIN(permille, 1000u);
	fp->calls = 0;
	fp->failed = 0;
	fp->state = 2026;
	armed_changed();
}

struct fault_point *fault_find(const char *name)
{
	for (struct fault_point *fp = __fault_points_start; fp < __fault_points_end; fp++)
		if (!strcmp(fp->name, name))
			return fp;
	return NULL;
}

void fault_disarm_all(void)
{
	for (struct fault_point *fp = __fault_points_start; fp < __fault_points_end; fp++)
		fault_arm(fp, 0, 0);
}

/* fail=NAME@N or NAME%R, comma-separated. */
static const char *set_fail(const char *val, size_t len)
{
	char word[32];

	while (val && len) {
		size_t n = 0;
		while (n < len && val[n] != ',')
			n++;
		if (n == 0 || n >= sizeof(word))
			return "wants NAME@N or NAME%R, comma-separated";
		memcpy(word, val, n);
		word[n] = '\0';
		char *at = strchr(word, '@'), *pc = strchr(word, '%'), *sep = at ? at : pc;
		uint32_t v;
		if (!sep || parse_uint(sep + 1, strlen(sep + 1), &v) < 0)
			return "wants NAME@N or NAME%R, comma-separated";
		*sep = '\0';
		struct fault_point *fp = fault_find(word);
		if (!fp)
			return "names no fault point (page, slab, block, disk)";
		fault_arm(fp, at ? v : 0, pc ? v : 0);
		val += n + (n < len);
		len -= n + (n < len);
	}
	return val ? NULL : "wants NAME@N or NAME%R, comma-separated";
}

TUNABLE_CALL(fail, set_fail, "make fault points fail: NAME@N (the Nth call) or NAME%R (R in 1000)");
