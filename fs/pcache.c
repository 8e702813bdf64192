/*
 * fs/pcache.c: the page cache.
 *
 * Each cached page has an entry on a hash chain keyed by (inode, index)
 * and on its inode's list of pages. The entry holds the page's one
 * reference; page->private points back at the entry (part D's mappings
 * will find their way from a page to its file through it).
 */
#include "fs/pcache.h"
#include "kernel/errno.h"
#include "mm/page.h"
#include "mm/slab.h"

#define NPHASH	256

struct pcache_entry {
	struct inode *ip;
	uint32_t index;
	struct page *page;
	bool dirty;
	struct list_head ilink;		/* on ip->pages */
	struct pcache_entry *hnext;
};

static struct pcache_entry *phash[NPHASH];
static struct kmem_cache *entry_cache;
struct pcache_stats pcache_stats;

static unsigned pbucket(struct inode *ip, uint32_t index)
{
	return ((uintptr_t)ip / 64 + index * 40503u) % NPHASH;
}

static struct pcache_entry *pfind(struct inode *ip, uint32_t index)
{
	for (struct pcache_entry *e = phash[pbucket(ip, index)]; e; e = e->hnext)
		if (e->ip == ip && e->index == index)
			return e;
	return NULL;
}

static void pfree(struct pcache_entry *e)
{
	for (struct pcache_entry **pp = &phash[pbucket(e->ip, e->index)]; *pp; pp = &(*pp)->hnext)
		if (*pp == e) {
			*pp = e->hnext;
			break;
		}
	list_del(&e->ilink);
	e->page->private = 0;
	put_page(e->page);
	e->ip->npages--;
	pcache_stats.pages--;
	kmem_cache_free(entry_cache, e);
}

void *pcache_page(struct inode *ip, uint32_t index, bool fresh)
{
	struct pcache_entry *e = pfind(ip, index);
	int r;

	if (e) {
		pcache_stats.hits++;
		return page_address(e->page);
	}
	pcache_stats.misses++;
	if (!entry_cache || !(e = kmem_cache_alloc(entry_cache)))
		return ERR_PTR(-ENOMEM);
	if (!(e->page = alloc_page())) {
		kmem_cache_free(entry_cache, e);
		return ERR_PTR(-ENOMEM);
	}
	if (fresh || (uint64_t)index * PGSIZE >= ip->size)
		memset(page_address(e->page), 0, PGSIZE);
	else if ((r = ip->sb->ops->readpage(ip, index, page_address(e->page))) < 0) {
		free_page(e->page);
		kmem_cache_free(entry_cache, e);
		return ERR_PTR(r);
	}
	e->ip = ip;
	e->index = index;
	e->dirty = false;
	e->page->private = (uintptr_t)e;
	list_add_tail(&e->ilink, &ip->pages);
	e->hnext = phash[pbucket(ip, index)];
	phash[pbucket(ip, index)] = e;
	ip->npages++;
	pcache_stats.pages++;
	return page_address(e->page);
}

void pcache_init(void)
{
	entry_cache = kmem_cache_create("pcache", sizeof(struct pcache_entry), 0, NULL, 0);
}

void pcache_dirty(struct inode *ip, uint32_t index)
{
	struct pcache_entry *e = pfind(ip, index);

	if (e)
		e->dirty = true;
}

int pcache_writeback(struct inode *ip)
{
	struct list_head *pos;
	int err = 0;

	list_for_each(pos, &ip->pages) {
		struct pcache_entry *e = list_entry(pos, struct pcache_entry, ilink);
		uint32_t start = e->index * PGSIZE;
		int r;

		if (!e->dirty || start >= ip->size)
			continue;
		r = ip->sb->ops->writepage(ip, e->index, page_address(e->page),
					   MIN((uint32_t)PGSIZE, ip->size - start));
		if (r < 0 && !err)
			err = r;
		if (r == 0) {
			e->dirty = false;
			pcache_stats.writebacks++;
		}
	}
	return err;
}

void pcache_drop(struct inode *ip, uint32_t from)
{
	struct list_head *pos, *next;

	for (pos = ip->pages.next; pos != &ip->pages; pos = next) {
		struct pcache_entry *e = list_entry(pos, struct pcache_entry, ilink);
		next = pos->next;
		if (e->index >= from)
			pfree(e);
	}
}

bool pcache_has_dirty(struct inode *ip)
{
	struct list_head *pos;

	list_for_each(pos, &ip->pages)
		if (list_entry(pos, struct pcache_entry, ilink)->dirty)
			return true;
	return false;
}
