/*
 * fs/inode.c: the inode cache.
 *
 * Every inode in memory is on a hash chain keyed by (super block, number).
 * References come from iget/igrab and from dentries (a positive dentry
 * holds one on its inode). When the last reference goes, an inode with
 * links left is written back if dirty and stays cached on the LRU until
 * icache_prune; an inode with no links is freed on disk at once.
 */
#include "fs/pcache.h"
#include "fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/slab.h"

#define NIHASH	64

static struct inode *ihash[NIHASH];
static struct list_head unused = LIST_HEAD_INIT(unused);
static struct kmem_cache *inode_cache;
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

/* A fresh in-memory inode (sb, ino), hashed and referenced, not read from disk. */
struct inode *inew(struct super_block *sb, uint32_t ino)
{
	struct inode *ip;

	if (!inode_cache || !(ip = kmem_cache_alloc(inode_cache)))
		return ERR_PTR(-ENOMEM);
	memset(ip, 0, sizeof(*ip));
	ip->sb = sb;
	ip->ino = ino;
	ip->refcount = 1;
	list_init(&ip->lru);
	list_init(&ip->aliases);
	list_init(&ip->pages);
	ip->hash_next = ihash[ibucket(sb, ino)];
	ihash[ibucket(sb, ino)] = ip;
	sb->active_inodes++;
	ninodes++;
	return ip;
}

void icache_init(void)
{
	inode_cache = kmem_cache_create("inode", sizeof(struct inode), 0, NULL, 0);
}

static void ifree(struct inode *ip)
{
	ihash_del(ip);
	list_del(&ip->lru);
	kmem_cache_free(inode_cache, ip);
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
	    (ip->nlink == 0 && ino != EXT2_ROOT_INO)) {
		sb->active_inodes--;
		ifree(ip);
		return ERR_PTR(r < 0 ? r : -EIO);	/* a name pointing at a free inode */
	}
	return ip;
}

struct inode *igrab(struct inode *ip)
{
	if (ip->refcount++ == 0) {
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
		if (!ip->sb->readonly && ip->sb->ops->write_inode(ip) < 0)
			printk(KERN_WARNING "inode %u: write back failed\n", ip->ino);
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
	if (ip->nlink == 0) {			/* unlinked and now unused: free it */
		pcache_drop(ip, 0);
		if (ip->sb->ops->evict(ip) < 0)
			printk(KERN_WARNING "inode %u: could not be freed\n", ip->ino);
		ifree(ip);
		return;
	}
	pcache_writeback(ip);
	iwrite(ip);
	list_add(&ip->lru, &unused);
}

int vfs_sync(struct super_block *sb)
{
	int err = 0, r;

	for (int i = 0; i < NIHASH; i++)
		for (struct inode *ip = ihash[i]; ip; ip = ip->hash_next)
			if (ip->sb == sb) {
				if ((r = pcache_writeback(ip)) < 0 && !err)
					err = r;	/* data that did not reach the disk */
				iwrite(ip);
			}
	r = sb->ops->sync(sb);
	return err ? err : r;
}

uint32_t icache_prune(struct super_block *sb)
{
	struct list_head *pos, *next;
	uint32_t n = 0;

	for (pos = unused.next; pos != &unused; pos = next) {
		struct inode *ip = list_entry(pos, struct inode, lru);
		next = pos->next;
		if ((sb && ip->sb != sb) || pcache_has_dirty(ip))
			continue;		/* keep data whose write-back failed */
		pcache_drop(ip, 0);		/* clean: written at iput */
		ifree(ip);
		n++;
	}
	return n;
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
