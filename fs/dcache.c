/*
 * fs/dcache.c: the dentry cache.
 *
 * Dentries come from their own slab cache ("dentry") and are hashed by
 * (parent, name) into NDHASH chains. A dentry whose refcount drops to 0
 * goes to the head of the LRU; d_prune frees from the tail. Because a
 * child holds a reference on its parent, an unused dentry never has
 * children, so pruning always works from the leaves up, and freeing a
 * dentry may make its parent unused in turn.
 */
#include "fs/dcache.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "mm/reclaim.h"
#include "mm/slab.h"

#define NDHASH	256

static struct list_head dhash[NDHASH];
static struct list_head lru = LIST_HEAD_INIT(lru);
static struct kmem_cache *dentry_cache;
struct dcache_stats dcache_stats;

static unsigned name_hash(const struct dentry *parent, const char *name, size_t len)
{
	uint32_t h = (uintptr_t)parent / 16;

	for (size_t i = 0; i < len; i++)
		h = h * 31 + (uint8_t)name[i];
	return h % NDHASH;
}

void dcache_init(void)
{
	dentry_cache = kmem_cache_create("dentry", sizeof(struct dentry), 0, NULL, 0);
	for (int i = 0; i < NDHASH; i++)
		list_init(&dhash[i]);
}

struct dentry *dget(struct dentry *d)
{
	KASSERT(d->refcount >= 0);
	if (d->refcount++ == 0) {
		list_del(&d->lru);
		dcache_stats.unused--;
	}
	return d;
}

struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len)
{
	struct list_head *pos, *chain = &dhash[name_hash(parent, name, len)];

	dcache_stats.lookups++;
	list_for_each(pos, chain) {
		struct dentry *d = list_entry(pos, struct dentry, hash);
		if (d->parent == parent && d->name_len == len && !memcmp(d->name, name, len)) {
			dcache_stats.hits++;
			dcache_stats.negative_hits += d->inode == NULL;
			return dget(d);
		}
	}
	return NULL;
}

static int set_name(struct dentry *d, const char *name, size_t len)
{
	char *n = len < DNAME_INLINE ? d->iname : kmalloc(len + 1);

	if (!n)
		return -ENOMEM;
	memcpy(n, name, len);
	n[len] = '\0';
	if (d->name && d->name != d->iname)
		kfree(d->name);
	d->name = n;
	d->name_len = len;
	return 0;
}

static void hash_in(struct dentry *d)
{
	list_add(&d->hash, &dhash[name_hash(d->parent, d->name, d->name_len)]);
	d->flags |= DCACHE_HASHED;
}

struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d;

	if (!dentry_cache || !(d = kmem_cache_alloc(dentry_cache)))
		return NULL;
	memset(d, 0, sizeof(*d));
	if (set_name(d, name, len) < 0) {
		kmem_cache_free(dentry_cache, d);
		return NULL;
	}
	d->refcount = 1;
	d->sb = parent ? parent->sb : NULL;
	d->parent = parent ? dget(parent) : d;
	list_init(&d->children);
	list_init(&d->lru);
	list_init(&d->alias);
	if (parent)
		list_add(&d->sibling, &parent->children);
	else
		list_init(&d->sibling);
	hash_in(d);
	dcache_stats.total++;
	dcache_stats.negative++;
	return d;
}

void d_instantiate(struct dentry *d, struct inode *ip)
{
	KASSERT(d->inode == NULL);
	d->inode = ip;
	list_add(&d->alias, &ip->aliases);
	dcache_stats.negative--;
}

void d_delete(struct dentry *d)
{
	struct inode *ip = d->inode;

	if (!ip)
		return;
	list_del(&d->alias);
	d->inode = NULL;
	dcache_stats.negative++;
	if (d->refcount > 1)
		d_drop(d);
	iput(ip);
}

void d_drop(struct dentry *d)
{
	if (d->flags & DCACHE_HASHED) {
		list_del(&d->hash);
		d->flags &= ~DCACHE_HASHED;
	}
}

int d_move(struct dentry *d, struct dentry *newparent, const char *name, size_t len)
{
	struct dentry *old = d->parent;

	if (set_name(d, name, len) < 0)
		return -ENOMEM;
	d_drop(d);
	list_del(&d->sibling);
	d->parent = dget(newparent);
	list_add(&d->sibling, &newparent->children);
	hash_in(d);
	dput(old);
	return 0;
}

/* Free an unused dentry; returns its parent's reference for the caller to drop. */
static struct dentry *d_free(struct dentry *d)
{
	struct dentry *parent = d->parent == d ? NULL : d->parent;

	KASSERT(d->refcount == 0 && list_empty(&d->children));
	list_del(&d->lru);
	dcache_stats.unused--;
	d_drop(d);
	list_del(&d->sibling);
	if (d->inode)
		d_delete(d);
	dcache_stats.negative--;
	if (d->name != d->iname)
		kfree(d->name);
	kmem_cache_free(dentry_cache, d);
	dcache_stats.total--;
	return parent;
}

void dput(struct dentry *d)
{
	if (d->refcount <= 0)
		panic("dput: dentry '%s' has no references", d->name);
	if (--d->refcount > 0)
		return;
	list_add(&d->lru, &lru);
	dcache_stats.unused++;
	if (!(d->flags & DCACHE_HASHED)) {	/* no one can find it again */
		struct dentry *p = d_free(d);
		if (p)
			dput(p);
	}
}

uint32_t d_prune(uint32_t n)
{
	uint32_t freed = 0;

	while (freed < n && !list_empty(&lru)) {
		struct dentry *d = list_entry(lru.prev, struct dentry, lru);
		struct dentry *p;

		if (d->flags & DCACHE_ROOT)
			break;			/* only a root with no mount is left */
		p = d_free(d);
		freed++;
		if (p)
			dput(p);		/* may put the parent on the LRU */
	}
	dcache_stats.pruned += freed;
	return freed;
}

/* Reclaim's view of the dentry cache: the unused entries, pruned oldest first. */
static uint32_t unused_dentries(void)
{
	return dcache_stats.unused;
}

SHRINKER(dcache, unused_dentries, d_prune);

uint32_t d_prune_sb(struct super_block *sb)
{
	uint32_t freed = 0;
	bool again = true;

	while (again) {
		struct list_head *pos;
		again = false;
		for (pos = lru.prev; pos != &lru; pos = pos->prev) {
			struct dentry *d = list_entry(pos, struct dentry, lru);
			if (d->sb != sb)
				continue;
			struct dentry *p = d_free(d);
			freed++;
			if (p)
				dput(p);
			again = true;
			break;
		}
	}
	return freed;
}

int dcache_mount_root(struct super_block *sb, struct inode *root)
{
	struct dentry *d = d_alloc(NULL, "/", 1);

	if (!d) {
		iput(root);
		return -ENOMEM;
	}
	d->sb = sb;
	d->flags |= DCACHE_ROOT;
	d_drop(d);			/* the root is found through its super block */
	d->flags |= DCACHE_ROOT;
	d_instantiate(d, root);
	sb->root = d;
	return 0;
}

uint32_t dcache_entry_bytes(void)
{
	return dentry_cache ? dentry_cache->size : 0;
}

struct dentry *d_lru_nth(uint32_t i)
{
	struct list_head *pos;

	list_for_each(pos, &lru)
		if (i-- == 0)
			return list_entry(pos, struct dentry, lru);
	return NULL;
}
