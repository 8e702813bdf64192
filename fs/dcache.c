/*
 * fs/dcache.c: the dentry cache.
 *
 * Dentries come from their own slab cache ("dentry") and are hashed by
 * (parent's id, name) into NDHASH chains. A dentry whose refcount drops to
 * 0 goes to the head of the LRU; d_prune frees from the tail. Because a
 * child holds a reference on its parent, an unused dentry never has
 * children, so pruning always works from the leaves up, and freeing a
 * dentry may make its parent unused in turn.
 *
 * Relocation: the slab layer may move a dentry whose references all come
 * from its children (dentry_isolate says which). The hash key is the
 * parent's id, not its address, so moving a directory's dentry leaves its
 * children on their chains; the move relinks the five lists a dentry is on
 * and repoints each child's parent (dentry_migrate).
 */
#include "fs/dcache.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/tunable.h"
#include "mm/reclaim.h"
#include "mm/slab.h"

#define NDHASH	256

static struct list_head dhash[NDHASH];
static struct list_head lru = LIST_HEAD_INIT(lru);
static struct kmem_cache *dentry_cache;
struct dcache_stats dcache_stats;
static uint32_t next_id;

int dcache_shrink_policy = DSHRINK_BOTH;
static const char *const shrink_policies[] = { "lru", "relocate", "both", NULL };
TUNABLE_CHOICE_RUNTIME(dcache_shrink, &dcache_shrink_policy, shrink_policies,
		       "how reclaim shrinks the dentry cache: prune by age, move, or both");

/* The chain for name in parent: keyed on the parent's id, which moves with it. */
static unsigned name_hash(const struct dentry *parent, const char *name, size_t len)
{
	uint32_t h = parent->id * 0x9e3779b1u;

	for (size_t i = 0; i < len; i++)
		h = h * 31 + (uint8_t)name[i];
	return h % NDHASH;
}

static const struct kmem_mover dentry_mover;

void dcache_init(void)
{
	dentry_cache = kmem_cache_create("dentry", sizeof(struct dentry), 0, NULL, 0);
	if (dentry_cache && kmem_cache_set_mover(dentry_cache, &dentry_mover) < 0)
		panic("dcache_init: the dentry cache cannot take a mover");
	for (int i = 0; i < NDHASH; i++)
		list_init(&dhash[i]);
}

struct dentry *dget(struct dentry *d)
{
	KASSERT(d->refcount >= 0 && !(d->flags & DCACHE_ISOLATED));
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
	d->id = ++next_id;
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
	d->flags |= DCACHE_FREEING;		/* iput below may sleep: it must not move */
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

/* ---- relocation ---- */

/* Children of d (each holds one reference on d). */
static int nchildren(const struct dentry *d)
{
	const struct list_head *pos;
	int n = 0;

	list_for_each(pos, &d->children)
		n++;
	return n;
}

bool d_held(const struct dentry *d)
{
	return d->refcount > nchildren(d) || (d->flags & DCACHE_ROOT);
}

bool d_aliases_held(const struct inode *ip)
{
	const struct list_head *pos;

	list_for_each(pos, &ip->aliases)
		if (d_held(list_entry(pos, struct dentry, alias)))
			return true;
	return false;
}

void d_aliases_moved(struct inode *to)
{
	struct list_head *pos;

	list_for_each(pos, &to->aliases)
		list_entry(pos, struct dentry, alias)->inode = to;
}

/*
 * A dentry may move only if every pointer to it is one of the dcache's
 * own: its references all come from its children (an unused dentry has
 * none), it is not a root (its super block points at it), and d_free is
 * not half-way through it.
 */
static bool dentry_isolate(void *obj)
{
	struct dentry *d = obj;

	if (d->flags & (DCACHE_ROOT | DCACHE_FREEING) || d->refcount != nchildren(d))
		return false;
	d->flags |= DCACHE_ISOLATED;
	return true;
}

static void dentry_putback(void *obj)
{
	((struct dentry *)obj)->flags &= ~DCACHE_ISOLATED;
}

/* Copy d to to and repoint the lists it is on and its children's parent. */
static int dentry_migrate(void *obj, void *to_obj)
{
	struct dentry *d = obj, *to = to_obj;
	struct list_head *pos;

	memcpy(to, d, sizeof(*to));
	to->flags &= ~DCACHE_ISOLATED;
	if (d->name == d->iname)
		to->name = to->iname;
	if (d->flags & DCACHE_HASHED)
		list_moved(&to->hash, &d->hash);
	list_moved(&to->sibling, &d->sibling);	/* (a root's is alone) */
	list_moved(&to->lru, &d->lru);		/* alone unless unused */
	list_moved(&to->alias, &d->alias);	/* alone unless positive */
	list_moved(&to->children, &d->children);
	list_for_each(pos, &to->children)
		list_entry(pos, struct dentry, sibling)->parent = to;
	memset(d, 0, sizeof(*d));		/* a stale pointer to it faults loudly */
	return KMEM_MOVED;
}

static const struct kmem_mover dentry_mover = {
	.isolate = dentry_isolate,
	.putback = dentry_putback,
	.migrate = dentry_migrate,
};

uint32_t d_evacuate(void)
{
	uint32_t pages = kmem_cache_evacuate(dentry_cache, 0);

	dcache_stats.evacuations++;
	dcache_stats.pages_evacuated += pages;
	return pages;
}

struct dentry *d_relocate(struct dentry *d)
{
	return kmem_cache_relocate(dentry_cache, d);
}

uint32_t d_shrink(uint32_t n)
{
	uint32_t freed = 0;

	if (dcache_shrink_policy != DSHRINK_RELOCATE)
		freed = d_prune(n);
	if (dcache_shrink_policy != DSHRINK_LRU)
		d_evacuate();
	return freed;
}

/* Reclaim's view of the dentry cache: the unused entries, pruned oldest
   first, and the slabs emptied by moving what is left. */
static uint32_t unused_dentries(void)
{
	return dcache_stats.unused;
}

SHRINKER(dcache, unused_dentries, d_shrink);

struct kmem_cache *dcache_slab(void)
{
	return dentry_cache;
}

/* Is l's neighbours' view of l right? */
static bool linked(const struct list_head *l)
{
	return l->next->prev == l && l->prev->next == l;
}

/* What is wrong with d's links, or NULL. */
static const char *check_one(struct dentry *d)
{
	struct list_head *pos;
	bool found = false;

	if (kmem_cache_of(d) != dentry_cache)
		return "a dentry pointer outside the dentry cache";
	if (d->flags & (DCACHE_ISOLATED | DCACHE_FREEING))
		return "a dentry left pinned or half-freed";
	if (!linked(&d->hash) || !linked(&d->sibling) || !linked(&d->lru) ||
	    !linked(&d->alias) || !linked(&d->children))
		return "a list link whose neighbours point elsewhere";
	if ((d->name_len < DNAME_INLINE) != (d->name == d->iname))
		return "a name stored in the wrong place";
	if (d->refcount < nchildren(d))
		return "fewer references than children";
	if ((d->refcount == 0) == list_empty(&d->lru))
		return "on the LRU while used, or unused and off it";
	list_for_each(pos, &d->children)
		if (list_entry(pos, struct dentry, sibling)->parent != d)
			return "a child whose parent pointer is not its parent";
	if (d->inode) {
		list_for_each(pos, &d->inode->aliases) {
			found |= pos == &d->alias;
			if (list_entry(pos, struct dentry, alias)->inode != d->inode)
				return "an alias of an inode that names another inode";
		}
		if (!found)
			return "a positive dentry missing from its inode's aliases";
	}
	if (d->parent != d) {
		found = false;
		list_for_each(pos, &d->parent->children)
			found |= pos == &d->sibling;
		if (!found)
			return "a dentry missing from its parent's children";
	}
	return NULL;
}

const char *dcache_check(void)
{
	struct list_head *pos, *p2;
	const char *why;
	uint32_t hashed = 0, unused = 0;

	for (int i = 0; i < NDHASH; i++) {
		list_for_each(pos, &dhash[i]) {
			struct dentry *d = list_entry(pos, struct dentry, hash);
			if (!(d->flags & DCACHE_HASHED))
				return "an unhashed dentry on a hash chain";
			if (d->parent != d && name_hash(d->parent, d->name, d->name_len) != (unsigned)i)
				return "a dentry on the wrong hash chain";
			if ((why = check_one(d)) || (why = check_one(d->parent)))
				return why;
			list_for_each(p2, &d->children)
				if ((why = check_one(list_entry(p2, struct dentry, sibling))))
					return why;
			hashed++;
		}
	}
	list_for_each(pos, &lru) {
		if ((why = check_one(list_entry(pos, struct dentry, lru))))
			return why;
		unused++;
	}
	if (unused != dcache_stats.unused)
		return "the LRU's length is not the unused count";
	return hashed <= dcache_stats.total ? NULL : "more hashed dentries than dentries";
}

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
