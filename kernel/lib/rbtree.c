/*
 * kernel/lib/rbtree.c: red-black tree insert, erase and walks (see
 * kernel/lib/rbtree.h). The algorithms are the textbook ones (Cormen et
 * al., chapter 13), with NULL for the empty leaves, so erase keeps track
 * of the parent of the place it fixes up, which may be empty.
 */
#include "kernel/lib/rbtree.h"

static bool is_red(const struct rb_node *n)
{
	return n && n->red;
}

/* Put new where old was, as its parent's child (or the root); new may be NULL. */
static void replace(struct rb_root *root, struct rb_node *old, struct rb_node *new)
{
	struct rb_node *p = old->parent;

	if (!p)
		root->node = new;
	else if (p->left == old)
		p->left = new;
	else
		p->right = new;
	if (new)
		new->parent = p;
}

/*
 *     x                 y
 *    / \               / \
 *   a   y     ==>     x   c
 *      / \           / \
 *     b   c         a   b
 */
static void rotate_left(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	replace(root, x, y);
	y->left = x;
	x->parent = y;
}

/* The mirror image of rotate_left. */
static void rotate_right(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->left;

	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	replace(root, x, y);
	y->right = x;
	x->parent = y;
}

void rb_insert(struct rb_root *root, struct rb_node *n, struct rb_node *parent,
	       struct rb_node **link)
{
	struct rb_node *p, *g, *u;

	n->parent = parent;
	n->left = n->right = NULL;
	n->red = true;
	*link = n;
	/* the only broken rule: n (red) may have a red parent */
	while ((p = n->parent) && p->red) {
		g = p->parent;			/* p is red, so not the root */
		if (p == g->left) {
			u = g->right;
			if (is_red(u)) {	/* recolour, and look again higher up */
				p->red = u->red = false;
				g->red = true;
				n = g;
				continue;
			}
			if (n == p->right) {	/* make it the outer grandchild */
				rotate_left(root, p);
				n = p;
				p = n->parent;
			}
			p->red = false;
			g->red = true;
			rotate_right(root, g);
		} else {
			u = g->left;
			if (is_red(u)) {
				p->red = u->red = false;
				g->red = true;
				n = g;
				continue;
			}
			if (n == p->left) {
				rotate_right(root, p);
				n = p;
				p = n->parent;
			}
			p->red = false;
			g->red = true;
			rotate_left(root, g);
		}
	}
	root->node->red = false;
}

/* x (maybe empty), child of xp, is one black short: restore the black heights. */
static void erase_fixup(struct rb_root *root, struct rb_node *x, struct rb_node *xp)
{
	struct rb_node *w;

	while (x != root->node && !is_red(x)) {
		if (x == xp->left) {
			w = xp->right;		/* not empty: its side has a black more */
			if (w->red) {
				w->red = false;
				xp->red = true;
				rotate_left(root, xp);
				w = xp->right;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;	/* both sides short now: move up */
				x = xp;
				xp = x->parent;
				continue;
			}
			if (!is_red(w->right)) {
				w->left->red = false;
				w->red = true;
				rotate_right(root, w);
				w = xp->right;
			}
			w->red = xp->red;
			xp->red = false;
			w->right->red = false;
			rotate_left(root, xp);
		} else {
			w = xp->left;
			if (w->red) {
				w->red = false;
				xp->red = true;
				rotate_right(root, xp);
				w = xp->left;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;
				x = xp;
				xp = x->parent;
				continue;
			}
			if (!is_red(w->left)) {
				w->right->red = false;
				w->red = true;
				rotate_left(root, w);
				w = xp->left;
			}
			w->red = xp->red;
			xp->red = false;
			w->left->red = false;
			rotate_right(root, xp);
		}
		x = root->node;		/* done */
		break;
	}
	if (x)
		x->red = false;
}

void rb_erase(struct rb_root *root, struct rb_node *z)
{
	struct rb_node *y = z, *x, *xp;
	bool removed_red = z->red;

	if (!z->left) {
		x = z->right;
		xp = z->parent;
		replace(root, z, x);
	} else if (!z->right) {
		x = z->left;
		xp = z->parent;
		replace(root, z, x);
	} else {
		/* two children: z's successor y (no left child) takes z's place */
		for (y = z->right; y->left; y = y->left)
			;
		removed_red = y->red;
		x = y->right;
		if (y->parent == z) {
			xp = y;
		} else {
			xp = y->parent;
			replace(root, y, x);
			y->right = z->right;
			y->right->parent = y;
		}
		replace(root, z, y);
		y->left = z->left;
		y->left->parent = y;
		y->red = z->red;
	}
	if (!removed_red)
		erase_fixup(root, x, xp);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->node;

	while (n && n->left)
		n = n->left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->node;

	while (n && n->right)
		n = n->right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *n)
{
	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return (struct rb_node *)n;
	}
	while (n->parent && n == n->parent->right)
		n = n->parent;
	return n->parent;
}

struct rb_node *rb_prev(const struct rb_node *n)
{
	if (n->left) {
		n = n->left;
		while (n->right)
			n = n->right;
		return (struct rb_node *)n;
	}
	while (n->parent && n == n->parent->left)
		n = n->parent;
	return n->parent;
}

/* The black height of the subtree at n (child of parent), or -1. */
static int check(const struct rb_node *n, const struct rb_node *parent, const char **why)
{
	int l, r;

	if (!n)
		return 0;
	if (n->parent != parent) {
		*why = "a node's parent pointer does not name its parent";
		return -1;
	}
	if (n->red && (is_red(n->left) || is_red(n->right))) {
		*why = "a red node has a red child";
		return -1;
	}
	if ((l = check(n->left, n, why)) < 0 || (r = check(n->right, n, why)) < 0)
		return -1;
	if (l != r) {
		*why = "two paths down pass different numbers of black nodes";
		return -1;
	}
	return l + !n->red;
}

int rb_check(const struct rb_root *root, const char **why)
{
	if (is_red(root->node)) {
		*why = "the root is red";
		return -1;
	}
	return check(root->node, NULL, why);
}
