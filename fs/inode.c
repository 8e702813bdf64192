/*
 * fs/inode.c: the inode cache, and each inode's page-cache operations.
 *
 * Every inode in memory is on a hash chain keyed by (super block, number).
 * References come from iget/igrab, from dentries (a positive dentry holds
 * one on its inode), from open files, and from regions that map the file
 * (filemap_get). When the last reference goes, an inode with links left is
 * written back if dirty and stays cached on the LRU until icache_prune; an
 * inode with no links is freed on disk at once.
 */
#include "fs/vfs.h"
#include "kernel/arch/memlayout.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/printk.h"
#include "mm/reclaim.h"

#define NIHASH	1024	/* 10,000 cached inodes: about 10 a chain */

static struct inode *ihash[NIHASH];
static struct list_head unused = LIST_HEAD_INIT(unused);
static uint32_t nr_unused;		/* on unused: the shrinker's count, without a walk */
static uint32_t ninodes;

static unsigned ibucket(struct super_block *sb, uint32_t ino)
{
	return ((uintptr_t)sb / 32 + ino) % NIHASH;
}

static void ihash_del(struct inode *ip)
{
	for (struct inode **pp = &ihash[ibucket(ip->sb, ip->ino)]; *pp; pp = &(*pp)->hash_next)
		if (*pp == ip) {
			*pp = ip->hash_next;
			return;
		}
}

static struct inode *ifind(struct super_block *sb, uint32_t ino)
{
	for (struct inode *ip = ihash[ibucket(sb, ino)]; ip; ip = ip->hash_next)
		if (ip->sb == sb && ip->ino == ino)
			return ip;
	return NULL;
}

/* --- the page cache's view of an inode ------------------------------------ */

static struct inode *map_inode(struct filemap *m)
{
	return container_of(m, struct inode, map);
}

/* Past the end of the file a page reads as zeros, without asking the disk. */
static int inode_readpage(struct filemap *m, uint32_t index, void *page)
{
	struct inode *ip = map_inode(m);

	if ((uint64_t)index * PGSIZE >= ip->size) {
		memset(page, 0, PGSIZE);
		return 0;
	}
	return ip->sb->ops->readpage(ip, index, page);
}

/* Only the bytes inside the file are written; a page past its end has none. */
static int inode_writepage(struct filemap *m, uint32_t index, const void *page)
{
	struct inode *ip = map_inode(m);
	uint32_t start = index * PGSIZE;

	if ((uint64_t)index * PGSIZE >= ip->size)
		return 0;
	return ip->sb->ops->writepage(ip, index, page, MIN((uint32_t)PGSIZE, ip->size - start));
}

static int inode_readpages(struct filemap *m, uint32_t first, uint32_t n, void **pages)
{
	struct inode *ip = map_inode(m);

	if (!ip->sb->ops->readpages)
		return -ENOSYS;
	return ip->sb->ops->readpages(ip, first, n, pages);
}

static void inode_get(struct filemap *m)
{
	igrab(map_inode(m));
}

static void inode_put(struct filemap *m)
{
	iput(map_inode(m));
}

static const struct filemap_ops inode_map_ops = {
	.readpage = inode_readpage,
	.readpages = inode_readpages,
	.writepage = inode_writepage,
	.get = inode_get,
	.put = inode_put,
};

/* --- the cache --------------------------------------------------------------- */

struct inode *inew(struct super_block *sb, uint32_t ino)
{
	struct inode *ip = sb->ops->alloc_inode(sb);

	if (!ip)
		return ERR_PTR(-ENOMEM);
	ip->sb = sb;
	ip->ino = ino;
	ip->refcount = 1;
	ip->state |= I_HASHED;
	list_init(&ip->lru);
	list_init(&ip->aliases);
	filemap_init(&ip->map, &inode_map_ops);
	ip->hash_next = ihash[ibucket(sb, ino)];
	ihash[ibucket(sb, ino)] = ip;
	sb->active_inodes++;
	ninodes++;
	return ip;
}

static void ifree(struct inode *ip)
{
	KASSERT(ip->refcount == 0 && ip->map.npages == 0 && list_empty(&ip->aliases));
	ihash_del(ip);
	ip->state &= ~I_HASHED;
	nr_unused -= !list_empty(&ip->lru);
	list_del(&ip->lru);
	ip->sb->ops->destroy_inode(ip);
	ninodes--;
}

struct inode *iget(struct super_block *sb, uint32_t ino)
{
	struct inode *ip = ifind(sb, ino);
	int r;

	if (ip)
		return igrab(ip);
	ip = inew(sb, ino);
	if (IS_ERR(ip))
		return ip;
	if ((r = sb->ops->read_inode(ip)) < 0 || ip->mode == 0 ||
	    (ip->nlink == 0 && ino != sb->root_ino)) {
		sb->active_inodes--;
		ip->refcount = 0;
		ifree(ip);
		return ERR_PTR(r < 0 ? r : -EIO);	/* a name pointing at a free inode */
	}
	return ip;
}

struct inode *igrab(struct inode *ip)
{
	KASSERT(ip->refcount >= 0 && !(ip->state & I_ISOLATED));
	if (ip->refcount++ == 0) {
		nr_unused -= !list_empty(&ip->lru);
		list_del(&ip->lru);		/* off the unused list */
		ip->sb->active_inodes++;
	}
	return ip;
}

void imark_dirty(struct inode *ip)
{
	ip->state |= I_DIRTY;
}

static void iwrite(struct inode *ip)
{
	if (ip->state & I_DIRTY) {
		ip->busy++;
		if (!ip->sb->readonly && ip->sb->ops->write_inode(ip) < 0)
			printk(KERN_WARNING "inode %u: write back failed\n", ip->ino);
		ip->busy--;
		ip->state &= ~I_DIRTY;
	}
}

void iput(struct inode *ip)
{
	if (ip->refcount <= 0)
		panic("iput: inode %u of %s has no references", ip->ino, ip->sb->dev->name);
	if (--ip->refcount > 0)
		return;
	ip->sb->active_inodes--;
	KASSERT(ip->sb->active_inodes >= 0);
	if (ip->nlink == 0) {			/* unlinked and now unused: free it */
		filemap_drop(&ip->map, 0);
		if (ip->sb->ops->evict(ip) < 0)
			printk(KERN_WARNING "inode %u: could not be freed\n", ip->ino);
		ifree(ip);
		return;
	}
	filemap_writeback(&ip->map);
	iwrite(ip);
	list_add(&ip->lru, &unused);
	nr_unused++;
}

void iwrite_all(struct super_block *sb)
{
	for (int i = 0; i < NIHASH; i++)
		for (struct inode *ip = ihash[i]; ip; ip = ip->hash_next)
			if (ip->sb == sb)
				iwrite(ip);
}

int vfs_sync(struct super_block *sb)
{
	int err = 0, r;

	/* data first: a record written after its data never names garbage */
	for (int i = 0; i < NIHASH; i++)
		for (struct inode *ip = ihash[i]; ip; ip = ip->hash_next)
			if (ip->sb == sb && (r = filemap_writeback(&ip->map)) < 0 && !err)
				err = r;	/* data that did not reach the disk */
	iwrite_all(sb);
	r = sb->ops->sync(sb);
	return err ? err : r;
}

/* Forget up to max unreferenced inodes of sb (any if NULL), oldest first. */
static uint32_t prune(struct super_block *sb, uint32_t max)
{
	struct list_head *pos, *prev;
	uint32_t n = 0;

	for (pos = unused.prev; pos != &unused && n < max; pos = prev) {
		struct inode *ip = list_entry(pos, struct inode, lru);
		prev = pos->prev;
		if ((sb && ip->sb != sb) || filemap_has_dirty(&ip->map))
			continue;		/* keep data whose write-back failed */
		filemap_drop(&ip->map, 0);	/* clean: written at iput */
		ifree(ip);
		n++;
	}
	return n;
}

uint32_t icache_prune(struct super_block *sb)
{
	return prune(sb, UINT32_MAX);
}

/* Reclaim's view: unreferenced inodes (and the page-cache pages they keep). */
static uint32_t unused_count(void)
{
	return nr_unused;
}

static uint32_t shrink(uint32_t n)
{
	return prune(NULL, n);
}

SHRINKER(icache, unused_count, shrink);

/* --- relocation ------------------------------------------------------------ */

static int naliases(const struct inode *ip)
{
	const struct list_head *pos;
	int n = 0;

	list_for_each(pos, &ip->aliases)
		n++;
	return n;
}


/*
 * Every pointer to a cached inode is the hash chain, the LRU, an alias
 * dentry's inode pointer (a counted reference, one per alias), a page-cache
 * entry's map pointer, or a counted reference from outside (an open file, a
 * mapping, a lookup or write in progress). refcount == aliases rules out the
 * last kind; the aliases' own holders, who reach ip through the dentry they
 * hold (a lookup in a directory sleeps on ip = d->inode), are the file
 * system's mover to rule out (d_aliases_held), and the aliases' inode
 * pointers its to fix (d_aliases_moved): the dcache's side of it. An unused inode is on the LRU; one with refcount 0 that is not
 * is being written back or freed by iput or prune, which may sleep. Write-
 * back without a reference (the flusher's vfs_sync, reclaim's eviction of a
 * dirty page) holds busy or map.busy while it sleeps.
 */
bool inode_isolate(struct inode *ip)
{
	if (!(ip->state & I_HASHED) || ip->busy || ip->map.busy ||
	    ip->refcount != naliases(ip) || (ip->refcount == 0 && list_empty(&ip->lru)))
		return false;
	ip->state |= I_ISOLATED;
	return true;
}

void inode_putback(struct inode *ip)
{
	ip->state &= ~I_ISOLATED;
}

void inode_moved(struct inode *to, struct inode *ip)
{
	for (struct inode **pp = &ihash[ibucket(ip->sb, ip->ino)]; *pp; pp = &(*pp)->hash_next)
		if (*pp == ip) {
			*pp = to;
			break;
		}
	list_moved(&to->lru, &ip->lru);
	list_moved(&to->aliases, &ip->aliases);	/* (the dentries' inode pointers: the caller) */
	filemap_moved(&to->map, &ip->map);
	to->state &= ~I_ISOLATED;
}

const char *icache_check(void)
{
	uint32_t n = 0, lru = 0;
	const char *why;
	struct list_head *pos;

	list_for_each(pos, &unused)
		lru++;
	if (lru != nr_unused)
		return "the unused count is not the unused list's length";
	for (int i = 0; i < NIHASH; i++)
		for (struct inode *ip = ihash[i]; ip; ip = ip->hash_next) {
			n++;
			if ((ip->state & (I_HASHED | I_ISOLATED)) != I_HASHED)
				return "a cached inode not marked hashed, or left pinned";
			if (ibucket(ip->sb, ip->ino) != (unsigned)i)
				return "an inode on the wrong hash chain";
			if (ip->lru.next->prev != &ip->lru || ip->aliases.next->prev != &ip->aliases)
				return "a list link whose neighbours point elsewhere";
			if (ip->refcount < naliases(ip))
				return "fewer references than alias dentries";
			if ((ip->refcount == 0) == list_empty(&ip->lru))
				return "on the LRU while used, or unused and off it";
			if ((why = filemap_check(&ip->map)) != NULL)
				return why;
		}
	return n == ninodes ? NULL : "the hash chains do not hold every cached inode";
}

uint32_t icache_count(void)
{
	return ninodes;
}

bool icache_holds(struct super_block *sb)
{
	for (int i = 0; i < NIHASH; i++)
		for (struct inode *ip = ihash[i]; ip; ip = ip->hash_next)
			if (ip->sb == sb)
				return true;
	return false;
}
