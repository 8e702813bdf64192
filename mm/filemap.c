/*
 * mm/filemap.c: the page cache (see mm/filemap.h).
 *
 * Each cached page has an entry on a hash chain keyed by (filemap, index)
 * and on its filemap's list of pages. The entry holds the page's one
 * reference, and page->private points back at it.
 */
#include "mm/filemap.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/lib.h"
#include "kernel/lib/panic.h"
#include "mm/page.h"
#include "mm/slab.h"

#define NPHASH	256

struct filemap_entry {
	struct filemap *map;
	uint32_t index;
	struct page *page;
	bool dirty;
	struct list_head mlink;		/* on map->pages */
	struct filemap_entry *hnext;
};

static struct filemap_entry *phash[NPHASH];
static struct kmem_cache *entry_cache;
struct filemap_stats filemap_stats;

static unsigned pbucket(struct filemap *m, uint32_t index)
{
	return ((uintptr_t)m / 64 + index * 40503u) % NPHASH;
}

static struct filemap_entry *pfind(struct filemap *m, uint32_t index)
{
	for (struct filemap_entry *e = phash[pbucket(m, index)]; e; e = e->hnext)
		if (e->map == m && e->index == index)
			return e;
	return NULL;
}

static void unhash(struct filemap_entry *e);

static void pfree(struct filemap_entry *e)
{
	unhash(e);
	list_del(&e->mlink);
	e->page->private = 0;
	put_page(e->page);
	KASSERT(e->map->npages > 0);
	e->map->npages--;
	filemap_stats.pages--;
	kmem_cache_free(entry_cache, e);
}

/* Take e off its hash chain. */
static void unhash(struct filemap_entry *e)
{
	for (struct filemap_entry **pp = &phash[pbucket(e->map, e->index)]; *pp;
	     pp = &(*pp)->hnext)
		if (*pp == e) {
			*pp = e->hnext;
			return;
		}
}

void filemap_moved(struct filemap *m, struct filemap *old)
{
	struct list_head *pos;

	list_moved(&m->pages, &old->pages);
	list_for_each(pos, &m->pages) {
		struct filemap_entry *e = list_entry(pos, struct filemap_entry, mlink);
		unhash(e);			/* (hashed under old's address) */
		e->map = m;
		e->hnext = phash[pbucket(m, e->index)];
		phash[pbucket(m, e->index)] = e;
	}
}

const char *filemap_check(const struct filemap *m)
{
	const struct list_head *pos;
	uint32_t n = 0;

	list_for_each(pos, &m->pages) {
		struct filemap_entry *e = list_entry(pos, struct filemap_entry, mlink);
		if (e->map != m || pfind((struct filemap *)m, e->index) != e)
			return "a page-cache entry that does not lead back to its file";
		if ((struct filemap_entry *)e->page->private != e)
			return "a cached page whose private field is not its entry";
		n++;
	}
	return n == m->npages ? NULL : "a page cache whose count is not its entries";
}

void filemap_init(struct filemap *m, const struct filemap_ops *ops)
{
	m->ops = ops;
	list_init(&m->pages);
	m->npages = 0;
	m->busy = 0;
}

/* Put e (its page filled) into m's cache as page index. */
static void insert(struct filemap *m, uint32_t index, struct filemap_entry *e)
{
	e->map = m;
	e->index = index;
	e->dirty = false;
	e->page->private = (uintptr_t)e;
	lru_add(e->page, false);
	list_add_tail(&e->mlink, &m->pages);
	e->hnext = phash[pbucket(m, index)];
	phash[pbucket(m, index)] = e;
	m->npages++;
	filemap_stats.pages++;
}

void *filemap_page(struct filemap *m, uint32_t index, bool fresh)
{
	struct filemap_entry *e = pfind(m, index);
	int r;

	if (e) {
		filemap_stats.hits++;
		lru_touch(e->page);
		return page_address(e->page);
	}
	filemap_stats.misses++;
	if (!entry_cache || !(e = kmem_cache_alloc(entry_cache)))
		return ERR_PTR(-ENOMEM);
	if (!(e->page = alloc_page())) {
		kmem_cache_free(entry_cache, e);
		return ERR_PTR(-ENOMEM);
	}
	if (fresh)
		memset(page_address(e->page), 0, PGSIZE);
	else if (m->busy++, r = m->ops->readpage(m, index, page_address(e->page)),
		 m->busy--, r < 0) {
		free_page(e->page);
		kmem_cache_free(entry_cache, e);
		return ERR_PTR(r);
	}
	struct filemap_entry *other = pfind(m, index);
	if (other) {				/* read meanwhile (a prefetch, another fault) */
		free_page(e->page);
		kmem_cache_free(entry_cache, e);
		return page_address(other->page);
	}
	insert(m, index, e);
	return page_address(e->page);
}

uint32_t filemap_prefetch(struct filemap *m, const uint32_t *idx, uint32_t n, uint32_t gap)
{
	uint32_t read = 0;

	m->busy++;				/* the reads sleep */
	for (uint32_t i = 0; i < n;) {
		uint32_t first = idx[i], last = idx[i], j = i + 1;
		while (j < n && idx[j] - last <= gap + 1 && idx[j] - first < FILEMAP_RUN)
			last = idx[j++];
		i = j;
		/* the run's pages not cached yet, in sub-runs of consecutive ones */
		for (uint32_t a = first; a <= last;) {
			struct filemap_entry *es[FILEMAP_RUN];
			void *pages[FILEMAP_RUN];
			uint32_t k = 0;
			while (a <= last && pfind(m, a))
				a++;
			while (a + k <= last && !pfind(m, a + k) && k < FILEMAP_RUN) {
				if (!(es[k] = kmem_cache_alloc(entry_cache)))
					break;
				if (!(es[k]->page = alloc_page())) {
					kmem_cache_free(entry_cache, es[k]);
					break;
				}
				pages[k] = page_address(es[k]->page);
				k++;
			}
			if (k == 0)
				break;			/* out of memory, or the end of the run */
			int r = m->ops->readpages ? m->ops->readpages(m, a, k, pages) : -ENOSYS;
			for (uint32_t q = 0; r == -ENOSYS && q < k; q++)
				if (m->ops->readpage(m, a + q, pages[q]) < 0)
					r = -EIO;
			r = r == -ENOSYS ? 0 : r;
			for (uint32_t q = 0; q < k; q++) {
				if (r < 0 || pfind(m, a + q)) {	/* failed, or read meanwhile */
					free_page(es[q]->page);
					kmem_cache_free(entry_cache, es[q]);
					continue;
				}
				insert(m, a + q, es[q]);
				read++;
			}
			a += k;
			if (r < 0)
				break;
		}
	}
	m->busy--;
	filemap_stats.prefetched += read;
	return read;
}

void filemap_init_cache(void)
{
	entry_cache = kmem_cache_create("pcache", sizeof(struct filemap_entry), 0, NULL, 0);
	if (!entry_cache)
		panic("filemap_init_cache: out of memory");
}

void filemap_dirty(struct filemap *m, uint32_t index)
{
	struct filemap_entry *e = pfind(m, index);

	if (e)
		e->dirty = true;
}

int filemap_writeback(struct filemap *m)
{
	struct list_head *pos;
	int err = 0;

	m->busy++;				/* the loop below sleeps and walks m */
	list_for_each(pos, &m->pages) {
		struct filemap_entry *e = list_entry(pos, struct filemap_entry, mlink);
		int r;

		if (!e->dirty)
			continue;
		r = m->ops->writepage(m, e->index, page_address(e->page));
		if (r < 0 && !err)
			err = r;
		if (r == 0) {
			e->dirty = false;
			filemap_stats.writebacks++;
		}
	}
	m->busy--;
	return err;
}

void filemap_drop(struct filemap *m, uint32_t from)
{
	struct list_head *pos, *next;

	for (pos = m->pages.next; pos != &m->pages; pos = next) {
		struct filemap_entry *e = list_entry(pos, struct filemap_entry, mlink);
		next = pos->next;
		if (e->index >= from)
			pfree(e);
	}
}

int filemap_evict(struct page *page)
{
	struct filemap_entry *e = (struct filemap_entry *)page->private;
	int r;

	KASSERT(!(page->flags & PG_anon));
	if (!e)
		return 0;		/* truncated away while mapped: only its mappings held it */
	KASSERT(e->page == page);
	if (e->dirty) {
		e->map->busy++;
		r = e->map->ops->writepage(e->map, e->index, page_address(page));
		e->map->busy--;
		if (r < 0)
			return r;
		e->dirty = false;
		filemap_stats.writebacks++;
	}
	pfree(e);
	filemap_stats.evictions++;
	return 0;
}

bool filemap_has_dirty(struct filemap *m)
{
	struct list_head *pos;

	list_for_each(pos, &m->pages)
		if (list_entry(pos, struct filemap_entry, mlink)->dirty)
			return true;
	return false;
}

struct filemap *filemap_get(struct filemap *m)
{
	m->ops->get(m);
	return m;
}

void filemap_put(struct filemap *m)
{
	m->ops->put(m);
}
