/*
 * kernel/lib/rbtree.h: red-black trees, intrusive: the node lives inside
 * the caller's struct (as a list_head does), and rb_entry gets back out.
 *
 * The tree knows nothing of keys. To insert, a caller walks down with its
 * own comparison to the empty place where the node belongs, links it
 * there and lets the tree rebalance:
 *
 *     struct rb_node **link = &root->node, *parent = NULL;
 *     while (*link) {
 *             parent = *link;
 *             link = key < KEY(parent) ? &parent->left : &parent->right;
 *     }
 *     rb_insert(root, &obj->rb, parent, link);
 *
 * and looks a key up the same way. Invariants (rb_check verifies them):
 * the root is black; a red node has no red child; every path from a node
 * down to an empty subtree passes the same number of black nodes. So no
 * path is more than twice as long as another, the height is at most
 * 2 log2(n + 1), and insert, erase and lookup take O(log n) steps.
 */
#ifndef KERNEL_LIB_RBTREE_H
#define KERNEL_LIB_RBTREE_H

#include <stdbool.h>
#include <stddef.h>

struct rb_node {
	struct rb_node *parent, *left, *right;
	bool red;
};

struct rb_root {
	struct rb_node *node;		/* NULL: the tree is empty */
};

#define RB_ROOT_INIT	{ NULL }
#define rb_entry(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* Link n at *link, a child slot of parent (NULL: the root), and rebalance. */
void rb_insert(struct rb_root *root, struct rb_node *n, struct rb_node *parent,
	       struct rb_node **link);
/* Take n out of the tree and rebalance. */
void rb_erase(struct rb_root *root, struct rb_node *n);
/* The leftmost (smallest) node, or NULL if the tree is empty. */
struct rb_node *rb_first(const struct rb_root *root);
/* The rightmost (largest) node, or NULL. */
struct rb_node *rb_last(const struct rb_root *root);
/* The node after n in order, or NULL. */
struct rb_node *rb_next(const struct rb_node *n);
/* The node before n in order, or NULL. */
struct rb_node *rb_prev(const struct rb_node *n);
/*
 * Check every invariant, and that parent pointers agree with child
 * pointers: the black height (>= 0), or -1 with the first problem in *why.
 */
int rb_check(const struct rb_root *root, const char **why);
#endif
