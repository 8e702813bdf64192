/*
 * kernel/lib/cmdline.c: split the boot loader's command line into words
 * and apply each to the tunable it names (see kernel/lib/cmdline.h).
 */
#include "kernel/lib/cmdline.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/param.h"
#include "kernel/lib/printk.h"

struct word {
	const char *name;
	size_t nlen;
	const char *val;	/* NULL: no '=' */
	size_t vlen;
};

static const char *set_int(const struct tunable *t, const struct word *w)
{
	static char why[48];
	uint32_t v;

	if (!w->val || parse_uint(w->val, w->vlen, &v) < 0 || v > (uint32_t)t->max ||
	    (int)v < t->min) {
		snprintf(why, sizeof(why), "wants a number from %d to %d", t->min, t->max);
		return why;
	}
	*(int *)t->var = v;
	return NULL;
}

static const char *set_choice(const struct tunable *t, const struct word *w)
{
	static char why[64];
	int k;

	for (int i = 0; t->choices[i]; i++)
		if (w->val && strlen(t->choices[i]) == w->vlen &&
		    !strncmp(t->choices[i], w->val, w->vlen)) {
			*(int *)t->var = i;
			return NULL;
		}
	k = snprintf(why, sizeof(why), "wants ");
	for (int i = 0; t->choices[i] && k < (int)sizeof(why); i++)
		k += snprintf(why + k, sizeof(why) - k, "%s%s", i == 0 ? "" :
			      t->choices[i + 1] ? ", " : " or ", t->choices[i]);
	return why;
}

/* Apply w to t: NULL if fine, else what was wrong. */
static const char *set_one(const struct tunable *t, const struct word *w)
{
	switch (t->kind) {
	case TUNE_FLAG:
		if (w->val)
			return "takes no value";
		*(bool *)t->var = true;
		return NULL;
	case TUNE_INT:
		return set_int(t, w);
	case TUNE_CHOICE:
		return set_choice(t, w);
	case TUNE_CALL:
		return t->set(w->val, w->vlen);
	}
	return "has an unknown kind";
}

/* Cut the next word at *s into w; returns 0 at the end, -1 on a bad quote. */
static int next_word(const char **s, struct word *w, char *buf, size_t size)
{
	const char *p = *s;
	size_t n = 0;
	int quoted = 0, bad = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 0;
	for (; *p && (quoted || (*p != ' ' && *p != '\t')); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (n + 1 < size)
			buf[n++] = *p;
		else
			bad = 1;	/* longer than any option can be */
	}
	buf[n] = '\0';
	*s = p;
	w->name = buf;
	w->val = strchr(buf, '=');
	w->nlen = w->val ? (size_t)(w->val - buf) : n;
	w->vlen = 0;
	if (w->val) {
		w->vlen = n - w->nlen - 1;
		w->val++;
	}
	return quoted || bad ? -1 : 1;
}

static int apply_word(const struct tunable *table, size_t n, const struct word *w)
{
	for (size_t i = 0; i < n; i++) {
		const char *err;

		if (strlen(table[i].name) != w->nlen || strncmp(table[i].name, w->name, w->nlen))
			continue;
		if (!(err = set_one(&table[i], w)))
			return 0;
		printk(KERN_WARNING "cmdline: option '%.*s' %s; ignored\n",
		       (int)w->nlen, w->name, err);
		return 1;
	}
	printk(KERN_WARNING "cmdline: unknown option '%.*s' ignored\n",
	       (int)MIN(w->nlen, 40u), w->name);
	return 1;
}

static bool is_kernel_path(const struct word *w)
{
	const char *slash = strchr(w->name, '/');

	return slash && (!w->val || slash < w->val);
}

int cmdline_parse(const char *line, const struct tunable *table, size_t n)
{
	char buf[NOPTVALUE + 32];
	struct word w;
	int r, warnings = 0, first = 1;

	while ((r = next_word(&line, &w, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			printk(KERN_WARNING "cmdline: malformed word '%.40s' "
			       "(unbalanced quote or too long) ignored\n", buf);
			warnings++;
		} else if (!(first && is_kernel_path(&w))) {
			warnings += apply_word(table, n, &w);
		}
		first = 0;
	}
	return warnings;
}

int cmdline_apply(const char *line)
{
	return cmdline_parse(line, __tunables_start, __tunables_end - __tunables_start);
}

const char *tunable_set(const char *word)
{
	char buf[NOPTVALUE + 32];
	const char *line = word;
	struct word w;

	if (next_word(&line, &w, buf, sizeof(buf)) != 1)
		return "is not one name=value word";
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line)
		return "is not one name=value word";
	for (const struct tunable *t = __tunables_start; t < __tunables_end; t++) {
		if (strlen(t->name) != w.nlen || strncmp(t->name, w.name, w.nlen))
			continue;
		return t->runtime ? set_one(t, &w) : "can only be set at boot";
	}
	return "is no option";
}

const struct tunable *tunable_find(const char *name)
{
	for (const struct tunable *t = __tunables_start; t < __tunables_end; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}
