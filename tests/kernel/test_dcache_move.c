/*
 * tests/kernel/test_dcache_move.c: dentries moved by the slab layer
 * (dcache.relocate_*). A tree of real files on the scratch disk is made,
 * its dentries are moved (one at a time, at random, or by evacuating the
 * sparse slabs), and then every name must still resolve, from the cache,
 * to the same inode, and every pointer the dcache owns must check out
 * (dcache_check). The same for ext2's inodes (icache.relocate_*): names,
 * data in the page cache, dirty pages written back after the move.
 */
#include "fs/ext2/ext2_internal.h"
#include "tests/kernel/fs_test.h"

#define MAXD	1400		/* dentries a test enumerates */

static struct dentry *all[MAXD];

/* Put d and every dentry below it in all[] from *n on (depth first). */
static void collect(struct dentry *d, unsigned *n)
{
	struct list_head *pos;

	if (*n < MAXD)
		all[(*n)++] = d;
	list_for_each(pos, &d->children)
		collect(list_entry(pos, struct dentry, sibling), n);
}

/* The name of file j in directory i: every seventh one too long to live inline. */
static void file_path(char *buf, size_t size, unsigned i, unsigned j)
{
	if (j % 7 == 3)
		snprintf(buf, size, "rt/d%u/file-%u-with-a-name-longer-than-inline", i, j);
	else
		snprintf(buf, size, "rt/d%u/f%u", i, j);
}

/* Make rt/dI/F for I < ndirs, F < nfiles; 0 or -E. */
static int make_tree(struct super_block *s, unsigned ndirs, unsigned nfiles)
{
	char path[80];
	int r = vfs_mkdir("rt", s->root);

	for (unsigned i = 0; i < ndirs && r == 0; i++) {
		snprintf(path, sizeof(path), "rt/d%u", i);
		r = vfs_mkdir(path, s->root);
		for (unsigned j = 0; j < nfiles && r == 0; j++) {
			file_path(path, sizeof(path), i, j);
			struct file *f = vfs_open(path, O_CREATE | O_WRONLY, s->root);
			if (IS_ERR(f))
				return PTR_ERR(f);
			vfs_close(f);
		}
	}
	return r;
}

static void remove_tree(struct super_block *s, unsigned ndirs, unsigned nfiles)
{
	char path[80];

	for (unsigned i = 0; i < ndirs; i++) {
		for (unsigned j = 0; j < nfiles; j++) {
			file_path(path, sizeof(path), i, j);
			vfs_unlink(path, s->root);
		}
		snprintf(path, sizeof(path), "rt/d%u", i);
		vfs_rmdir(path, s->root);
	}
	vfs_rmdir("rt", s->root);
}

/* Names in the tree that do not resolve to inode ino[i * nfiles + j] (or, with
   ino NULL, do not resolve), and the lookups that missed the cache. */
static unsigned check_names(struct super_block *s, unsigned ndirs, unsigned nfiles,
			    uint32_t *ino, uint32_t *misses)
{
	uint32_t looked = dcache_stats.lookups, hit = dcache_stats.hits;
	struct vfs_stat st;
	char path[80];
	unsigned bad = 0;

	for (unsigned i = 0; i < ndirs; i++)
		for (unsigned j = 0; j < nfiles; j++) {
			file_path(path, sizeof(path), i, j);
			if (vfs_stat(path, s->root, &st) < 0)
				bad++;
			else if (ino && ino[i * nfiles + j] && ino[i * nfiles + j] != st.ino)
				bad++;
			else if (ino)
				ino[i * nfiles + j] = st.ino;
		}
	*misses = (dcache_stats.lookups - looked) - (dcache_stats.hits - hit);
	return bad;
}

/* Move every dentry of the tree below s's root that may move; how many moved. */
static unsigned move_all(struct super_block *s)
{
	unsigned n = 0, moved = 0;

	collect(s->root, &n);
	for (unsigned k = 0; k < n; k++)
		moved += d_relocate(all[k]) != NULL;
	return moved;
}

KTEST(dcache, relocate_moved_dentries_resolve_by_every_path)
{
	struct super_block *s = scratch_mount();
	uint32_t ino[4 * 20] = { 0 }, misses;
	struct vfs_stat st, st2;

	KT_ASSERT(s != NULL);
	KT_ASSERT_EQ(make_tree(s, 4, 20), 0);
	KT_EXPECT_EQ(check_names(s, 4, 20, ino, &misses), 0);
	KT_EXPECT_EQ(vfs_stat("rt/d1/absent", s->root, &st), -ENOENT);	/* a negative one too */
	unsigned n = 0;
	collect(s->root, &n);
	KT_EXPECT(n >= 4 * 20 + 5);
	unsigned moved = move_all(s);
	KT_EXPECT_EQ(moved, n - 1);			/* all but the root, directories too */
	KT_EXPECT(dcache_check() == NULL);
	/* every name from the cache alone, to the same inode */
	KT_EXPECT_EQ(check_names(s, 4, 20, ino, &misses), 0);
	KT_EXPECT_EQ(misses, 0);
	uint32_t neg = dcache_stats.negative_hits;
	KT_EXPECT_EQ(vfs_stat("rt/d1/absent", s->root, &st), -ENOENT);
	KT_EXPECT_EQ(dcache_stats.negative_hits - neg, 1);
	/* through "..", which follows the moved parents' pointers */
	KT_EXPECT_EQ(vfs_stat("rt/d1/../d2/f5", s->root, &st), 0);
	KT_EXPECT_EQ(vfs_stat("rt/d2/f5", s->root, &st2), 0);
	KT_EXPECT_EQ(st.ino, st2.ino);
	struct dentry *d3 = namei("rt/d3", s->root);
	KT_ASSERT(!IS_ERR(d3));
	KT_EXPECT_EQ(vfs_stat("../d0/f1", d3, &st), 0);
	KT_EXPECT_EQ(st.ino, ino[0 * 20 + 1]);
	dput(d3);
	remove_tree(s, 4, 20);
	KT_EXPECT(dcache_check() == NULL);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

KTEST(dcache, relocate_referenced_dentries_never_move)
{
	struct super_block *s = scratch_mount();
	uint32_t misses;

	KT_ASSERT(s != NULL);
	KT_ASSERT_EQ(make_tree(s, 2, 10), 0);
	struct dentry *held = namei("rt/d0/f2", s->root);	/* a counted reference */
	struct file *f = vfs_open("rt/d1/f4", O_RDWR, s->root);	/* an open file */
	KT_ASSERT(!IS_ERR(held) && !IS_ERR(f));
	struct dentry *open = f->dentry, *dir = open->parent;
	KT_EXPECT(d_relocate(held) == NULL);
	KT_EXPECT(d_relocate(open) == NULL);
	KT_EXPECT(d_relocate(s->root) == NULL);		/* its super block points at it */
	/* their directory's references are all its children's: it may move */
	struct dentry *newdir = d_relocate(dir);
	KT_ASSERT(newdir != NULL);
	KT_EXPECT(open->parent == newdir);
	KT_EXPECT(dcache_check() == NULL);
	/* evacuation leaves them too */
	move_all(s);
	d_evacuate();
	KT_EXPECT(f->dentry == open && held->parent->parent->parent == s->root);
	KT_EXPECT_EQ(vfs_write(f, "moved", 5), 5);
	vfs_close(f);
	dput(held);
	KT_EXPECT_EQ(check_names(s, 2, 10, NULL, &misses), 0);
	KT_EXPECT(dcache_check() == NULL);
	remove_tree(s, 2, 10);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

/* A random dentry of the tree below s's root, not the root. */
static struct dentry *pick(struct super_block *s, uint32_t *rng)
{
	unsigned n = 0;

	collect(s->root, &n);
	*rng = *rng * 1103515245u + 12345u;
	return n > 1 ? all[1 + (*rng >> 8) % (n - 1)] : NULL;
}

KTEST(dcache, relocate_interleaved_with_lookups_creates_renames_unlinks)
{
	enum { DIRS = 3, FILES = 24 };
	struct super_block *s = scratch_mount();
	bool exists[DIRS][FILES];
	uint32_t rng = 2002, wrong = 0, broken = 0, moved = 0;
	char path[80], to[80];
	struct vfs_stat st;
	const char *why = NULL;

	KT_ASSERT(s != NULL);
	KT_ASSERT_EQ(make_tree(s, DIRS, FILES / 2), 0);
	for (unsigned i = 0; i < DIRS; i++)
		for (unsigned j = 0; j < FILES; j++)
			exists[i][j] = j < FILES / 2;
	for (int step = 0; step < 1500; step++) {
		rng = rng * 1103515245u + 12345u;
		unsigned i = (rng >> 8) % DIRS, j = (rng >> 12) % FILES, op = (rng >> 20) % 7;
		unsigned i2 = (rng >> 24) % DIRS, j2 = (i2 * 7 + j) % FILES;
		file_path(path, sizeof(path), i, j);
		file_path(to, sizeof(to), i2, j2);
		switch (op) {
		case 0:			/* look it up: found exactly when it exists */
			wrong += (vfs_stat(path, s->root, &st) == 0) != exists[i][j];
			break;
		case 1:			/* create */
			if (!exists[i][j]) {
				struct file *f = vfs_open(path, O_CREATE | O_WRONLY, s->root);
				wrong += IS_ERR(f);
				if (!IS_ERR(f))
					vfs_close(f);
				exists[i][j] = true;
			}
			break;
		case 2:			/* rename into another directory */
			if (exists[i][j] && !exists[i2][j2]) {
				wrong += vfs_rename(path, to, s->root) != 0;
				exists[i][j] = false;
				exists[i2][j2] = true;
			}
			break;
		case 3:			/* unlink */
			if (exists[i][j]) {
				wrong += vfs_unlink(path, s->root) != 0;
				exists[i][j] = false;
			}
			break;
		case 4:
		case 5: {		/* move some dentry */
			struct dentry *d = pick(s, &rng);
			moved += d && d_relocate(d) != NULL;
			break;
		}
		default:		/* prune a few, then evacuate */
			d_prune(3);
			d_evacuate();
			break;
		}
		if (!why && (why = dcache_check()) != NULL)
			broken = step + 1;
	}
	KT_EXPECT_EQ(wrong, 0);
	KT_EXPECT_EQ(broken, 0);
	if (why)
		printk("ktest: # dcache_check at step %u: %s\n", broken - 1, why);
	KT_EXPECT(moved > 200);
	for (unsigned i = 0; i < DIRS; i++)	/* the end state, name by name */
		for (unsigned j = 0; j < FILES; j++) {
			file_path(path, sizeof(path), i, j);
			wrong += (vfs_stat(path, s->root, &st) == 0) != exists[i][j];
			if (exists[i][j])
				vfs_unlink(path, s->root);
		}
	KT_EXPECT_EQ(wrong, 0);
	remove_tree(s, DIRS, 0);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

KTEST(dcache, relocate_stress_ten_thousand_moves)
{
	struct super_block *s = scratch_mount();
	uint32_t ino[8 * 40] = { 0 }, misses, rng = 42, moved = 0, bad_batches = 0;

	KT_ASSERT(s != NULL);
	KT_ASSERT_EQ(make_tree(s, 8, 40), 0);
	KT_EXPECT_EQ(check_names(s, 8, 40, ino, &misses), 0);
	for (int batch = 0; batch < 100; batch++) {
		unsigned n = 0;
		collect(s->root, &n);
		for (int k = 0; k < 100; k++) {	/* all[] is refreshed for each move */
			rng = rng * 1103515245u + 12345u;
			unsigned x = 1 + (rng >> 8) % (n - 1);
			struct dentry *d = d_relocate(all[x]);
			if (d) {
				all[x] = d;
				moved++;
			}
		}
		bad_batches += dcache_check() != NULL;
	}
	KT_EXPECT_EQ(moved, 10000);		/* nothing in the tree is held */
	KT_EXPECT_EQ(bad_batches, 0);
	KT_EXPECT_EQ(check_names(s, 8, 40, ino, &misses), 0);
	KT_EXPECT_EQ(misses, 0);
	remove_tree(s, 8, 40);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

/* The 2002 experiment in small: a tree whose names are used in random
   order (so that LRU order is not slab order), then four fifths of its
   dentries pruned by age. 0 or -E. */
static int tree_pruned(struct super_block *s, unsigned dirs, unsigned files, uint32_t rng)
{
	struct vfs_stat st;
	char path[80];
	int r = make_tree(s, dirs, files);

	for (unsigned k = 0; r == 0 && k < dirs * files; k++) {
		rng = rng * 1103515245u + 12345u;
		file_path(path, sizeof(path), (rng >> 8) % dirs, (rng >> 16) % files);
		vfs_stat(path, s->root, &st);
	}
	d_prune(dirs * files * 4 / 5);
	return r;
}

/* Allocated slots of c that sit in partial slabs' holes: what packing could still save. */
static unsigned long holes(const struct kmem_cache *c)
{
	char *map = kmalloc(65536);
	unsigned long free_slots = 0;
	int n;

	if (!map)
		return ~0ul;
	n = slab_map_text(c, map, 65536);
	for (int i = 0, line = 0; i < n; i = line) {	/* count '.' in lines with a '#' */
		unsigned dots = 0, hashes = 0;
		for (line = i; line < n && map[line] != '\n'; line++) {
			dots += map[line] == '.';
			hashes += map[line] == '#';
		}
		line++;
		if (hashes)
			free_slots += dots;
	}
	kfree(map);
	return free_slots;
}

KTEST(dcache, relocate_evacuation_packs_what_pruning_leaves)
{
	enum { DIRS = 10, FILES = 100 };
	struct super_block *s = scratch_mount();
	struct kmem_cache *c = dcache_slab();
	uint32_t misses;

	KT_ASSERT(s != NULL);
	KT_ASSERT_EQ(tree_pruned(s, DIRS, FILES, 99), 0);
	kmem_cache_shrink(c);
	unsigned long before = holes(c);
	KT_EXPECT(before >= 3 * c->per_slab);	/* pruning left holes everywhere */
	unsigned pages = d_evacuate();
	KT_EXPECT(pages > 0);
	KT_EXPECT(holes(c) < 2 * c->per_slab);	/* packed: less than two slabs' worth left */
	KT_EXPECT(c->active_objs * 100 / c->total_objs >= 80);
	KT_EXPECT(dcache_check() == NULL);
	/* what survived still resolves (and what was pruned comes back from disk) */
	KT_EXPECT_EQ(check_names(s, DIRS, FILES, NULL, &misses), 0);
	remove_tree(s, DIRS, FILES);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

/* ---- inodes ---- */

/* Write size bytes of pattern seed to path (created); 0 or -E. */
static int put_pattern(struct super_block *s, const char *path, uint32_t size, uint32_t seed)
{
	struct file *f = vfs_open(path, O_CREATE | O_WRONLY | O_TRUNC, s->root);
	uint8_t buf[256];
	int r = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	for (uint32_t off = 0; off < size && r >= 0; off += sizeof(buf)) {
		uint32_t n = MIN((uint32_t)sizeof(buf), size - off);
		for (uint32_t i = 0; i < n; i++)
			buf[i] = pat(off + i, seed);
		r = vfs_write(f, buf, n);
	}
	vfs_close(f);
	return r < 0 ? r : 0;
}

/* Bytes of path that differ from pattern seed (or 1 if it cannot be read). */
static uint32_t diff_pattern(struct super_block *s, const char *path, uint32_t size, uint32_t seed)
{
	uint8_t buf[256];
	uint32_t bad = 0;

	for (uint32_t off = 0; off < size; off += sizeof(buf)) {
		uint32_t n = MIN((uint32_t)sizeof(buf), size - off);
		if (read_at(s->root, path, off, buf, n) != (int)n)
			return bad + 1;
		bad += pat_diff(buf, n, off, seed);
	}
	return bad;
}

/* Move the inode of every positive dentry below s's root; how many moved. */
static unsigned move_inodes(struct super_block *s)
{
	unsigned n = 0, moved = 0;

	collect(s->root, &n);
	for (unsigned k = 0; k < n; k++)
		if (all[k]->inode)
			moved += ext2_relocate_inode(all[k]->inode) != NULL;
	return moved;
}

KTEST(icache, relocate_inodes_keep_names_data_and_pages)
{
	struct super_block *s = scratch_mount();
	uint32_t ino[3 * 8] = { 0 }, misses, bad = 0;
	char path[80];

	KT_ASSERT(s != NULL);
	KT_ASSERT_EQ(make_tree(s, 3, 8), 0);
	for (unsigned i = 0; i < 3; i++)	/* data in the page cache, still dirty */
		for (unsigned j = 0; j < 8; j += 2) {
			file_path(path, sizeof(path), i, j);
			KT_ASSERT_EQ(put_pattern(s, path, 5000 + 700 * j, i * 8 + j), 0);
		}
	KT_EXPECT_EQ(check_names(s, 3, 8, ino, &misses), 0);
	unsigned n = 0;
	collect(s->root, &n);
	unsigned moved = move_inodes(s);
	KT_EXPECT_EQ(moved, n - 1);		/* held only by their dentries: all but the root's */
	KT_EXPECT(icache_check() == NULL);
	KT_EXPECT(dcache_check() == NULL);
	KT_EXPECT_EQ(check_names(s, 3, 8, ino, &misses), 0);
	for (unsigned i = 0; i < 3; i++)	/* from the moved page caches */
		for (unsigned j = 0; j < 8; j += 2) {
			file_path(path, sizeof(path), i, j);
			bad += diff_pattern(s, path, 5000 + 700 * j, i * 8 + j);
		}
	KT_EXPECT_EQ(bad, 0);
	/* the dirty pages and records reach the disk through the new copies */
	KT_EXPECT_EQ(vfs_sync(s), 0);
	vfs_shrink_caches();
	for (unsigned i = 0; i < 3; i++)
		for (unsigned j = 0; j < 8; j += 2) {
			file_path(path, sizeof(path), i, j);
			bad += diff_pattern(s, path, 5000 + 700 * j, i * 8 + j);
		}
	KT_EXPECT_EQ(bad, 0);
	KT_EXPECT_EQ(check_names(s, 3, 8, ino, &misses), 0);
	remove_tree(s, 3, 8);
	KT_EXPECT(icache_check() == NULL);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

KTEST(icache, relocate_held_inodes_never_move)
{
	struct super_block *s = scratch_mount();

	KT_ASSERT(s != NULL);
	KT_ASSERT_EQ(make_tree(s, 1, 4), 0);
	struct file *f = vfs_open("rt/d0/f1", O_RDWR, s->root);
	KT_ASSERT(!IS_ERR(f));
	struct inode *ip = f->ip;
	KT_EXPECT(ext2_relocate_inode(ip) == NULL);	/* the open file's reference */
	ext2_evacuate_inodes();
	KT_EXPECT(f->ip == ip && f->dentry->inode == ip);
	KT_EXPECT_EQ(vfs_write(f, "still here", 10), 10);
	vfs_close(f);
	struct dentry *held = namei("rt/d0/f1", s->root);	/* its dentry, held */
	KT_ASSERT(!IS_ERR(held));
	KT_EXPECT(ext2_relocate_inode(ip) == NULL);	/* the holder may be using held->inode */
	dput(held);
	struct inode *moved = ext2_relocate_inode(ip);	/* now only its dentry holds it */
	KT_EXPECT(moved != NULL && moved != ip);
	KT_EXPECT_EQ(diff_pattern(s, "rt/d0/f1", 0, 0), 0);
	uint8_t buf[10];
	KT_EXPECT_EQ(read_at(s->root, "rt/d0/f1", 0, buf, 10), 10);
	KT_EXPECT(!memcmp(buf, "still here", 10));
	KT_EXPECT(icache_check() == NULL);
	remove_tree(s, 1, 4);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

KTEST(icache, relocate_stress_with_reads_and_writes)
{
	enum { DIRS = 4, FILES = 20 };
	struct super_block *s = scratch_mount();
	uint32_t rng = 7, seed[DIRS][FILES] = { { 0 } }, moved = 0, broken = 0, bad = 0;
	char path[80];

	KT_ASSERT(s != NULL);
	KT_ASSERT_EQ(make_tree(s, DIRS, FILES), 0);
	for (int step = 0; step < 3000; step++) {
		rng = rng * 1103515245u + 12345u;
		unsigned i = (rng >> 8) % DIRS, j = (rng >> 12) % FILES, op = (rng >> 20) % 8;
		file_path(path, sizeof(path), i, j);
		if (op == 0) {			/* rewrite a file */
			seed[i][j] = 1 + (rng >> 24);
			bad += put_pattern(s, path, 3000, seed[i][j]) != 0;
		} else if (op == 1 && seed[i][j]) {
			bad += diff_pattern(s, path, 3000, seed[i][j]);
		} else if (op == 2) {
			d_prune(2);
			icache_prune(NULL);
			ext2_evacuate_inodes();
		} else {			/* move an inode */
			struct dentry *d = pick(s, &rng);
			moved += d && d->inode && ext2_relocate_inode(d->inode) != NULL;
		}
		if (step % 100 == 99 && (icache_check() || dcache_check()))
			broken++;
	}
	KT_EXPECT_EQ(bad, 0);
	KT_EXPECT_EQ(broken, 0);
	KT_EXPECT(moved > 1000);
	KT_EXPECT_EQ(vfs_sync(s), 0);
	vfs_shrink_caches();
	for (unsigned i = 0; i < DIRS; i++)	/* on the disk as last written */
		for (unsigned j = 0; j < FILES; j++)
			if (seed[i][j]) {
				file_path(path, sizeof(path), i, j);
				bad += diff_pattern(s, path, 3000, seed[i][j]);
			}
	KT_EXPECT_EQ(bad, 0);
	remove_tree(s, DIRS, FILES);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}

KTEST(icache, relocate_evacuation_packs_what_pruning_leaves)
{
	enum { DIRS = 6, FILES = 100 };
	struct super_block *s = scratch_mount();
	uint32_t misses;

	KT_ASSERT(s != NULL);
	KT_ASSERT_EQ(tree_pruned(s, DIRS, FILES, 5), 0);	/* their inodes go unused */
	icache_prune(NULL);
	struct kmem_cache *c = kmem_cache_of(EXT2_I(s->root->inode));
	kmem_cache_shrink(c);
	KT_EXPECT(holes(c) >= 3 * c->per_slab);
	KT_EXPECT(ext2_evacuate_inodes() > 0);
	KT_EXPECT(holes(c) < 2 * c->per_slab);
	KT_EXPECT(icache_check() == NULL);
	KT_EXPECT(dcache_check() == NULL);
	KT_EXPECT_EQ(check_names(s, DIRS, FILES, NULL, &misses), 0);
	remove_tree(s, DIRS, FILES);
	KT_EXPECT_EQ(vfs_unmount(s), 0);
}
