/*
 * user/umalloc.c: malloc and free on sbrk, the K&R way: a circular free
 * list of blocks sorted by address, first fit, neighbours merged on free.
 */
#include "user/user.h"

union header {
	struct {
		union header *next;
		uint size;		/* in header units, this one included */
	} s;
	long long align;
};

static union header base;
static union header *freep;

void free(void *ap)
{
	union header *bp = (union header *)ap - 1, *p;

	if (!ap)
		return;
	for (p = freep; !(bp > p && bp < p->s.next); p = p->s.next)
		if (p >= p->s.next && (bp > p || bp < p->s.next))
			break;
	if (bp + bp->s.size == p->s.next) {
		bp->s.size += p->s.next->s.size;
		bp->s.next = p->s.next->s.next;
	} else {
		bp->s.next = p->s.next;
	}
	if (p + p->s.size == bp) {
		p->s.size += bp->s.size;
		p->s.next = bp->s.next;
	} else {
		p->s.next = bp;
	}
	freep = p;
}

static union header *morecore(uint n)
{
	char *p;
	union header *hp;

	if (n < 4096)
		n = 4096;
	p = sbrk(n * sizeof(union header));
	if (p == (char *)-1)
		return 0;
	hp = (union header *)p;
	hp->s.size = n;
	free(hp + 1);
	return freep;
}

void *malloc(uint nbytes)
{
	union header *p, *prev;
	uint n = (nbytes + sizeof(union header) - 1) / sizeof(union header) + 1;

	if (!(prev = freep)) {
		base.s.next = freep = prev = &base;
		base.s.size = 0;
	}
	for (p = prev->s.next;; prev = p, p = p->s.next) {
		if (p->s.size >= n) {
			if (p->s.size == n) {
				prev->s.next = p->s.next;
			} else {
				p->s.size -= n;
				p += p->s.size;
				p->s.size = n;
			}
			freep = prev;
			return p + 1;
		}
		if (p == freep && !(p = morecore(n)))
			return 0;
	}
}
