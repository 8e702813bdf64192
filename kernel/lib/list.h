/*
 * kernel/lib/list.h: doubly linked circular lists, as in Linux. A struct
 * list_head is embedded in each element; the list head is an element of
 * its own, so an empty list points at itself and no operation needs a
 * NULL check. list_del leaves the removed node pointing at itself, so
 * deleting twice is harmless and list_empty(&node) says "on no list".
 */
#ifndef KERNEL_LIB_LIST_H
#define KERNEL_LIB_LIST_H

#include <stdbool.h>
#include <stddef.h>

#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }

static inline void list_init(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void list_add_between(struct list_head *n, struct list_head *prev,
				    struct list_head *next)
{
	n->next = next;
	n->prev = prev;
	prev->next = n;
	next->prev = n;
}

/* Insert n right after h (at the front of list h). */
static inline void list_add(struct list_head *n, struct list_head *h)
{
	list_add_between(n, h, h->next);
}

/* Insert n right before h (at the tail of list h). */
static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	list_add_between(n, h->prev, h);
}

static inline void list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

/*
 * n is a byte copy of old, made when the object holding old moved (slab
 * relocation): make the list old was on lead to n instead. An old that
 * was alone (empty, or deleted) leaves n alone too.
 */
static inline void list_moved(struct list_head *n, const struct list_head *old)
{
	if (n->next == old) {
		list_init(n);
		return;
	}
	n->next->prev = n;
	n->prev->next = n;
}

#define list_entry(p, type, member)	container_of(p, type, member)
#define list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#endif
