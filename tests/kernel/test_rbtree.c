/*
 * tests/kernel/test_rbtree.c: the red-black tree library (rbtree.*):
 * random inserts and erases checked against a plain model, the balance
 * an ordered insert keeps, and rb_check catching broken trees.
 */
#include "kernel/lib/lib.h"
#include "kernel/lib/rbtree.h"
#include "tests/kernel/ktest.h"

#define NKEYS	1000

struct item {
	struct rb_node rb;
	int key;
	bool in;
};

static struct item items[NKEYS];

static void add(struct rb_root *root, struct item *it)
{
	struct rb_node **link = &root->node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = it->key < rb_entry(parent, struct item, rb)->key ? &parent->left
									: &parent->right;
	}
	rb_insert(root, &it->rb, parent, link);
	it->in = true;
}

static struct item *find(struct rb_root *root, int key)
{
	struct rb_node *n = root->node;

	while (n) {
		struct item *it = rb_entry(n, struct item, rb);
		if (key == it->key)
			return it;
		n = key < it->key ? n->left : n->right;
	}
	return NULL;
}

static int height(const struct rb_node *n)
{
	if (!n)
		return 0;
	return 1 + MAX(height(n->left), height(n->right));
}

/* floor(log2(x)) + 1 for x >= 1: bits needed. */
static int bits(unsigned x)
{
	int b = 0;

	for (; x; x >>= 1)
		b++;
	return b;
}

/* The tree holds exactly the items marked in, in key order, both ways. */
static bool matches_model(struct rb_root *root, unsigned *count)
{
	struct rb_node *n = rb_first(root);
	unsigned seen = 0;

	for (int k = 0; k < NKEYS; k++) {
		if (!items[k].in)
			continue;
		if (n != &items[k].rb)
			return false;
		n = rb_next(n);
		seen++;
	}
	if (n)
		return false;
	n = rb_last(root);
	for (int k = NKEYS - 1; k >= 0; k--)
		if (items[k].in) {
			if (n != &items[k].rb)
				return false;
			n = rb_prev(n);
		}
	*count = seen;
	return !n;
}

KTEST(rbtree, random_inserts_and_erases_match_a_model)
{
	struct rb_root root = RB_ROOT_INIT;
	uint32_t rng = 20261128;
	const char *why = "";
	unsigned n = 0, bad_check = 0, bad_model = 0, bad_height = 0, maxn = 0;

	for (int k = 0; k < NKEYS; k++)
		items[k] = (struct item){ .key = k };
	for (int op = 0; op < 10000; op++) {
		rng = rng * 1103515245u + 12345u;
		struct item *it = &items[(rng >> 8) % NKEYS];
		if (it->in) {
			KT_ASSERT(find(&root, it->key) == it);
			rb_erase(&root, &it->rb);
			it->in = false;
		} else {
			KT_ASSERT(find(&root, it->key) == NULL);
			add(&root, it);
		}
		bad_check += rb_check(&root, &why) < 0;
		if (op % 97 == 0 || op == 9999) {
			bad_model += !matches_model(&root, &n);
			bad_height += height(root.node) > 2 * bits(n);
			maxn = MAX(maxn, n);
		}
	}
	KT_EXPECT_EQ(bad_check, 0);
	KT_EXPECT_EQ(bad_model, 0);
	KT_EXPECT_EQ(bad_height, 0);
	KT_EXPECT(maxn > NKEYS / 3);		/* the tree got big on the way */
	for (int k = 0; k < NKEYS; k++)		/* empty it again */
		if (items[k].in) {
			rb_erase(&root, &items[k].rb);
			items[k].in = false;
		}
	KT_EXPECT(root.node == NULL);
}

KTEST(rbtree, ordered_inserts_stay_balanced)
{
	struct rb_root up = RB_ROOT_INIT;
	const char *why = "";

	for (int k = 0; k < NKEYS; k++) {
		items[k] = (struct item){ .key = k };
		add(&up, &items[k]);
	}
	KT_EXPECT(rb_check(&up, &why) > 0);
	KT_EXPECT(height(up.node) <= 2 * bits(NKEYS));	/* a list would be 1000 high */
	KT_EXPECT(rb_first(&up) == &items[0].rb && rb_last(&up) == &items[NKEYS - 1].rb);
	for (int k = 0; k < NKEYS; k += 2)		/* every other one, from the left */
		rb_erase(&up, &items[k].rb);
	KT_EXPECT(rb_check(&up, &why) > 0);
	KT_EXPECT(height(up.node) <= 2 * bits(NKEYS / 2));
	KT_EXPECT(rb_first(&up) == &items[1].rb);
}

KTEST(rbtree, check_catches_broken_trees)
{
	struct rb_root root = RB_ROOT_INIT;
	const char *why = "";

	for (int k = 0; k < 15; k++) {
		items[k] = (struct item){ .key = k };
		add(&root, &items[k]);
	}
	KT_ASSERT(rb_check(&root, &why) > 0);
	root.node->red = true;
	KT_EXPECT_EQ(rb_check(&root, &why), -1);
	KT_EXPECT(strstr(why, "root") != NULL);
	root.node->red = false;
	struct rb_node *leaf = rb_first(&root);		/* black one path short, or red-red */
	leaf->red = !leaf->red;
	KT_EXPECT_EQ(rb_check(&root, &why), -1);
	leaf->red = !leaf->red;
	leaf->parent = NULL;
	KT_EXPECT_EQ(rb_check(&root, &why), -1);
	KT_EXPECT(strstr(why, "parent") != NULL);
}
