/*
 * fs/dcache.h: the dentry cache: names already looked up, positive (with
 * their inode) and negative (known not to exist).
 *
 * Ownership rules: every pointer to a dentry is either in the dcache's
 * own structures (hash chain, parent's child list, LRU, inode's alias
 * list) or a counted reference (dget/dput), so the dcache alone could
 * free or move an unused one. A child holds a reference on its parent; a
 * positive dentry holds one on its inode. A dentry with refcount 0 is
 * unused: on the LRU, free to prune.
 *
 * Relocation (docs/slab-relocation.md): a dentry whose only references
 * are its children's may be moved to another slot of its slab cache, and
 * the dcache fixes every pointer it owns. Nothing else may keep an
 * uncounted pointer to a dentry across anything that can run reclaim.
 */
#ifndef FS_DCACHE_H
#define FS_DCACHE_H

#include "fs/vfs.h"

#define DNAME_INLINE	32	/* names this long live inside the dentry */

struct dentry {
	struct super_block *sb;
	struct dentry *parent;		/* counted reference (the root points at itself) */
	struct inode *inode;		/* counted reference; NULL: negative */
	int refcount;			/* dget/dput; 0: on the LRU */
	unsigned flags;			/* DCACHE_* */
	uint32_t id;			/* born with it, moves with it: its children's hash key */
	uint32_t name_len;
	char *name;			/* iname, or kmalloc'd when longer */
	struct list_head hash;		/* hash chain of (parent, name) */
	struct list_head children;	/* our children's sibling links */
	struct list_head sibling;	/* on parent->children */
	struct list_head lru;		/* unused dentries, most recently used first */
	struct list_head alias;		/* on inode->aliases */
	char iname[DNAME_INLINE];
};

#define DCACHE_HASHED	0x1	/* findable by d_lookup */
#define DCACHE_ROOT	0x2	/* a file system's root */
#define DCACHE_FREEING	0x4	/* d_free has it: never moved */
#define DCACHE_ISOLATED	0x8	/* pinned for a move by the slab layer */

/* How the shrinker gives dentries back (the tunable dcache_shrink). */
enum { DSHRINK_LRU, DSHRINK_RELOCATE, DSHRINK_BOTH };
extern int dcache_shrink_policy;

struct dcache_stats {
	uint32_t lookups, hits, negative_hits;
	uint32_t total, unused, negative;
	uint32_t pruned;
	uint32_t evacuations, pages_evacuated;	/* runs of the slab evacuation, pages freed */
};
extern struct dcache_stats dcache_stats;

/* The cached dentry for name in parent, referenced; NULL if not cached. */
struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len);
/* A new negative dentry for name in parent, hashed and referenced; NULL if out of memory. */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len);
/* Make d positive; consumes the caller's reference on ip. */
void d_instantiate(struct dentry *d, struct inode *ip);
/*
 * Make d negative (its name was unlinked), dropping its inode reference.
 * If anyone but the caller holds d (a process's working directory, say),
 * d is also unhashed: a name made later in its place is a new dentry, and
 * the holders keep one that stays negative, so a removed working directory
 * can never turn into whatever next takes its name.
 */
void d_delete(struct dentry *d);
/* Unhash d: lookups no longer find it (removed directories, failed lookups). */
void d_drop(struct dentry *d);
/* Move d under newparent as name (rename). 0 or -ENOMEM. */
int d_move(struct dentry *d, struct dentry *newparent, const char *name, size_t len);
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
/* Free up to n unused dentries, least recently used first; returns how many. */
uint32_t d_prune(uint32_t n);
/* Free every unused dentry of sb (unmount). */
uint32_t d_prune_sb(struct super_block *sb);
/* Make the root dentry of sb for root (consumes the reference). */
int dcache_mount_root(struct super_block *sb, struct inode *root);
/* Make the dentry slab cache and the hash table (vfs_init). */
void dcache_init(void);
/* Bytes of memory one dentry takes (its slab object). */
uint32_t dcache_entry_bytes(void);
/* Shrink as the policy says: prune up to n unused dentries (lru, both),
   then empty sparse slabs (relocate, both). Returns the dentries freed. */
uint32_t d_shrink(uint32_t n);
/* Empty the dentry cache's sparse slabs by moving dentries; pages freed. */
uint32_t d_evacuate(void);
/* Move d to another slot (self-tests); its new address, or NULL if it may
   not move (it is referenced from outside the dcache). */
struct dentry *d_relocate(struct dentry *d);
/* Is d held from outside the dcache (by more than its children)? Whoever
   holds it may also be using its inode without a reference of its own. */
bool d_held(const struct dentry *d);
/* Inode relocation's dcache side: is one of ip's dentries held (then ip
   must not move)? And, once ip has moved to to, point its dentries there. */
bool d_aliases_held(const struct inode *ip);
void d_aliases_moved(struct inode *to);
/* Check every pointer the dcache owns; NULL if all hold, else what is wrong. */
const char *dcache_check(void);
/* The dentry slab cache (slabinfo, the slab map). */
struct kmem_cache *dcache_slab(void);
/* The unused dentries in LRU order (tests check the order): the i-th, or NULL. */
struct dentry *d_lru_nth(uint32_t i);
#endif
