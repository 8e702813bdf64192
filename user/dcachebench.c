/*
 * user/dcachebench.c: the dentry cache under memory pressure, the
 * experiment of the 2002 linux-kernel report, once per shrink policy.
 *
 *   dcachebench [-n FILES] [-w PATHS] [-m MIB] [-p lru|relocate|both|all] [-M] [-r]
 *
 * Makes a tree of FILES empty files (10,000 unless told) under /dtree, in
 * directories of 100, once; later runs reuse it (-r removes it and exits).
 * Then, for each policy (all three unless -p names one), it sets the
 * tunable dcache_shrink, drops the caches, looks every file up (so the
 * dentries fill their slabs in order), looks up a working set of PATHS
 * (1,000) of them again at random, prints the dentry cache's slabinfo
 * line, runs a memory hog of MIB MiB in a child (seven eighths of the
 * machine's memory unless told), prints the line again, and measures how
 * many of the working set's paths still resolve from the cache alone.
 * -M also prints the slab map of the dentry cache before and after the hog
 * (one line per slab, a character per slot: '#' in use, '.' free), between
 * the lines "slabmap POLICY before|after" and "slabmap end".
 *
 * A line per policy, "dcachebench,POLICY,FIGURE,VALUE", carries the
 * figures for make bench (tools/bench.py judges them).
 */
#include "user/user.h"

#define PER_DIR	100

static int nfiles = 10000, nworking = 1000, hog_mib, maps;
static unsigned rng = 2002;
static int *working;			/* file numbers of the working set */

static void path_of(char *buf, int n)
{
	snprintf(buf, 40, "/dtree/d%03d/f%03d", n / PER_DIR, n % PER_DIR);
}

static int die(const char *what)
{
	printf(2, "dcachebench: %s\n", what);
	exit2(1);
	return 1;
}

/* Make /dtree unless a finished one is there (it holds /dtree/done). */
static void make_tree(void)
{
	char path[40];
	struct stat st;
	int fd;

	if (stat("/dtree/done", &st) == 0 && st.size == (unsigned)nfiles)
		return;
	printf(1, "dcachebench: making %d files under /dtree (once)\n", nfiles);
	mkdir("/dtree");
	for (int n = 0; n < nfiles; n++) {
		if (n % PER_DIR == 0) {
			snprintf(path, sizeof(path), "/dtree/d%03d", n / PER_DIR);
			mkdir(path);
		}
		path_of(path, n);
		if ((fd = open(path, O_CREATE | O_WRONLY)) < 0)
			die("cannot create a file (is the disk full of inodes?)");
		close(fd);
	}
	if ((fd = open("/dtree/done", O_CREATE | O_WRONLY | O_TRUNC)) < 0)
		die("cannot mark the tree finished");
	for (int n = 0; n < nfiles; n++)	/* its size says how many files */
		write(fd, "", 1);
	close(fd);
	sync();
}

static void remove_tree(void)
{
	char path[40];

	for (int n = 0; n < 100000; n++) {
		path_of(path, n);
		if (unlink(path) < 0 && n % PER_DIR == 0 && n >= nfiles)
			break;
		if (n % PER_DIR == PER_DIR - 1) {
			snprintf(path, sizeof(path), "/dtree/d%03d", n / PER_DIR);
			unlink(path);
		}
	}
	unlink("/dtree/done");
	unlink("/dtree");
}

/* Cache name's slabinfo line into line; its figures into f[] (active,
   total, object size, active slabs, slabs, pages per slab, use%, moved). */
static void slabline(const char *name, char *line, int size, int *f)
{
	static char text[8192];
	int n = sysinfo(SI_SLAB, text, sizeof(text) - 1), len = strlen(name);

	line[0] = '\0';
	text[n > 0 ? n : 0] = '\0';
	for (char *s = text; *s; s++) {
		if ((s == text || s[-1] == '\n') && !strncmp(s, name, len) && s[len] == ' ') {
			int k = 0;
			while (s[k] && s[k] != '\n' && k < size - 1) {
				line[k] = s[k];
				k++;
			}
			line[k] = '\0';
			break;
		}
	}
	char *p = line + len;
	for (int i = 0; i < 8; i++) {
		while (*p == ' ')
			p++;
		f[i] = atoi(p);
		while (*p && *p != ' ')
			p++;
	}
}

/* A child that takes mib MiB, writing every page, then exits. */
static void hog(int mib)
{
	int pid = fork();

	if (pid < 0)
		die("fork failed");
	if (pid == 0) {
		char *p = sbrk(mib * 1024 * 1024);
		if (p == (char *)-1)
			exit2(3);
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < mib * 1024 * 1024; i += 4096)
				p[i] = (char)(i >> 12) + pass;
		exit2(0);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid || status != 0)
		die("the memory hog did not finish (out of memory and swap?)");
}

/* Look path up; 1 if every name on it came from the cache. */
static int cached(const char *path)
{
	int looked = sysinfo_figure(SI_DCACHE, "lookups"), hit = sysinfo_figure(SI_DCACHE, "hits");
	struct stat st;

	if (stat(path, &st) < 0)
		die("a file of the tree is gone");
	int looked2 = sysinfo_figure(SI_DCACHE, "lookups"), hit2 = sysinfo_figure(SI_DCACHE, "hits");
	return looked2 - looked == hit2 - hit;
}

static void print_map(const char *when, const char *policy)
{
	static char map[65536];
	int n;

	strcpy(map, "dentry");
	n = sysinfo(SI_SLABMAP, map, sizeof(map) - 1);
	if (n < 0)
		die("no slab map");
	map[n] = '\0';
	printf(1, "slabmap %s %s\n%sslabmap end\n", policy, when, map);
}

static void run(const char *policy)
{
	char set[40], path[40], before[100], after[100], ibefore[100], iafter[100];
	int fb[8], fa[8], ib[8], ia[8], hits = 0;
	struct stat st;

	snprintf(set, sizeof(set), "dcache_shrink=%s", policy);
	if (sysinfo(SI_SET, set, strlen(set)) < 0)
		die("cannot set dcache_shrink (an old kernel?)");
	sysinfo(SI_SHRINK, 0, 0);
	for (int n = 0; n < nfiles; n++) {	/* every dentry, in slab order */
		path_of(path, n);
		if (stat(path, &st) < 0)
			die("a file of the tree is missing");
	}
	for (int k = 0; k < nworking; k++) {	/* the working set: used last */
		path_of(path, working[k]);
		stat(path, &st);
	}
	if (maps)
		print_map("before", policy);
	slabline("dentry", before, sizeof(before), fb);
	slabline("ext2_inode", ibefore, sizeof(ibefore), ib);
	hog(hog_mib);
	slabline("dentry", after, sizeof(after), fa);
	slabline("ext2_inode", iafter, sizeof(iafter), ia);
	if (maps)
		print_map("after", policy);	/* before the lookups below refill it */
	for (int k = 0; k < nworking; k++) {
		path_of(path, working[k]);
		hits += cached(path);
	}
	printf(1, "\npolicy %s\n  before: %s\n          %s\n  after:  %s\n          %s\n",
	       policy, before, ibefore, after, iafter);
	printf(1, "  dentries %d -> %d, slab pages %d -> %d (%d freed), use %d%% -> %d%%, "
	       "%d moved; working set %d of %d from the cache\n", fb[0], fa[0], fb[4] * fb[5],
	       fa[4] * fa[5], fb[4] * fb[5] - fa[4] * fa[5], fb[6], fa[6], fa[7] - fb[7], hits,
	       nworking);
	printf(1, "dcachebench,%s,dentries_before,%d\n", policy, fb[0]);
	printf(1, "dcachebench,%s,dentries_after,%d\n", policy, fa[0]);
	printf(1, "dcachebench,%s,pages_before,%d\n", policy, fb[4] * fb[5]);
	printf(1, "dcachebench,%s,pages_after,%d\n", policy, fa[4] * fa[5]);
	printf(1, "dcachebench,%s,use_before,%d\n", policy, fb[6]);
	printf(1, "dcachebench,%s,use_after,%d\n", policy, fa[6]);
	printf(1, "dcachebench,%s,moved,%d\n", policy, fa[7] - fb[7]);
	printf(1, "dcachebench,%s,ws_hits_permille,%d\n", policy, hits * 1000 / nworking);
	/* the inode cache beside it: what relocating inodes too could give back */
	int per = ia[1] && ia[4] ? ia[1] / ia[4] : 1;
	printf(1, "dcachebench,%s,inode_pages_after,%d\n", policy, ia[4] * ia[5]);
	printf(1, "dcachebench,%s,inode_pages_packed,%d\n", policy, (ia[0] + per - 1) / per * ia[5]);
	printf(1, "dcachebench,%s,inode_use_after,%d\n", policy, ia[6]);
}

int main(int argc, char *argv[])
{
	const char *only = "all";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			nfiles = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-w") && i + 1 < argc)
			nworking = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-m") && i + 1 < argc)
			hog_mib = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "-M"))
			maps = 1;
		else if (!strcmp(argv[i], "-r")) {
			remove_tree();
			exit2(0);
		} else {
			printf(2, "usage: dcachebench [-n FILES] [-w PATHS] [-m MIB] "
			       "[-p lru|relocate|both|all] [-M] [-r]\n");
			exit2(2);
		}
	}
	if (nfiles < PER_DIR || nfiles > 100 * 1000 || nworking < 1 || nworking > nfiles)
		die("FILES must be 100 to 100,000 and PATHS 1 to FILES");
	if (!hog_mib)
		hog_mib = sysinfo_figure(SI_MEM, "total") * 7 / 8 / 1024;
	if (!(working = malloc(nworking * sizeof(int))))
		die("out of memory");
	for (int k = 0; k < nworking; k++)
		working[k] = xorshift32(&rng) % nfiles;
	make_tree();
	printf(1, "dcachebench: %d files, a working set of %d paths, a hog of %d MiB\n",
	       nfiles, nworking, hog_mib);
	const char *policies[] = { "lru", "relocate", "both" };
	for (int p = 0; p < 3; p++)
		if (!strcmp(only, "all") || !strcmp(only, policies[p]))
			run(policies[p]);
	exit2(0);
	return 0;
}
