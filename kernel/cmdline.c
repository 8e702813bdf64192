/*
 * kernel/cmdline.c: turn the boot loader's command line into bootopts.
 *
 * The line is split into words (spaces separate, double quotes group); each
 * word is "name" or "name=value" and is looked up in opts[]. The first word
 * is skipped when it is the kernel's own path (QEMU -kernel and some GRUB
 * versions put it there): a word with '/' before any '='. Nothing here can
 * fail boot: every problem is one warning line and the option's default.
 */
#include "kernel/cmdline.h"
#include "kernel/lib.h"
#include "kernel/printk.h"

struct bootopts bootopts;
char boot_cmdline[NCMDLINE];

struct word {
	const char *name;
	size_t nlen;
	const char *val;	/* NULL: no '=' */
	size_t vlen;
};

struct opt {
	const char *name;
	/* Apply the value; return NULL if fine, else what was wrong. */
	const char *(*set)(struct bootopts *o, const struct word *w, size_t off);
	size_t off;		/* set_flag: which bool in bootopts */
};

static const char *set_flag(struct bootopts *o, const struct word *w, size_t off)
{
	if (w->val)
		return "takes no value";
	*(bool *)((char *)o + off) = true;
	return NULL;
}

static const char *copy_value(char *dst, const struct word *w)
{
	if (w->vlen >= NOPTVALUE)
		return "value too long";
	memcpy(dst, w->val, w->vlen);
	dst[w->vlen] = '\0';
	return NULL;
}

static const char *set_selftest(struct bootopts *o, const struct word *w,
				size_t off __attribute__((unused)))
{
	const char *err = NULL;

	if (w->val && (err = copy_value(o->selftest_filter, w)))
		return err;
	o->selftest = true;
	return NULL;
}

static const char *set_init(struct bootopts *o, const struct word *w,
				size_t off __attribute__((unused)))
{
	if (!w->val || w->vlen == 0 || w->val[0] != '/')
		return "wants an absolute path, e.g. init=/bin/sh";
	return copy_value(o->init, w);
}

static const char *set_bench(struct bootopts *o, const struct word *w,
				size_t off __attribute__((unused)))
{
	if (!w->val || w->vlen == 0)
		return "wants a benchmark name, e.g. bench=mm";
	return copy_value(o->bench, w);
}

static const char *set_fork(struct bootopts *o, const struct word *w,
				size_t off __attribute__((unused)))
{
	if (w->val && w->vlen == 5 && !strncmp(w->val, "share", 5))
		o->fork = FORK_SHARE;
	else if (w->val && w->vlen == 4 && !strncmp(w->val, "copy", 4))
		o->fork = FORK_COPY;
	else
		return "wants share or copy";
	return NULL;
}

static const char *set_loglevel(struct bootopts *o, const struct word *w,
				size_t off __attribute__((unused)))
{
	uint32_t v;

	if (!w->val || parse_uint(w->val, w->vlen, &v) < 0 || v > 8)
		return "wants a number from 0 to 8";
	o->loglevel = v;
	return NULL;
}

static const struct opt opts[] = {
	{ "selftest", set_selftest, 0 },
	{ "harness", set_flag, offsetof(struct bootopts, harness) },
	{ "init", set_init, 0 },
	{ "fork", set_fork, 0 },
	{ "loglevel", set_loglevel, 0 },
	{ "break", set_flag, offsetof(struct bootopts, bochs_break) },
	{ "slab_debug", set_flag, offsetof(struct bootopts, slab_debug) },
	{ "vmcheck", set_flag, offsetof(struct bootopts, vmcheck) },
	{ "bench", set_bench, 0 },
};

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

static int apply_word(struct bootopts *o, const struct word *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		if (strlen(opts[i].name) != w->nlen ||
		    strncmp(opts[i].name, w->name, w->nlen))
			continue;
		const char *err = opts[i].set(o, w, opts[i].off);
		if (!err)
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

int cmdline_parse(const char *cmdline, struct bootopts *o)
{
	char buf[NOPTVALUE + 32];
	struct word w;
	int r, warnings = 0, first = 1;

	memset(o, 0, sizeof(*o));
	o->fork = FORK_SHARE;
	o->loglevel = CONSOLE_LOGLEVEL;
	while ((r = next_word(&cmdline, &w, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			printk(KERN_WARNING "cmdline: malformed word '%.40s' "
			       "(unbalanced quote or too long) ignored\n", buf);
			warnings++;
		} else if (!(first && is_kernel_path(&w))) {
			warnings += apply_word(o, &w);
		}
		first = 0;
	}
	return warnings;
}
