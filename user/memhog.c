/*
 * user/memhog.c: take memory until malloc says no, the way a program that
 * wants all it can get does. Shared by the user tests and the xv6-built
 * tests (it needs only malloc and free).
 */
#include "user/user.h"

/* Take blocks of 64 KiB, writing a word in every page, until malloc returns 0; a list. */
static void **take_all(int *count)
{
	void **head = 0, **b;

	*count = 0;
	while ((b = malloc(64 * 1024))) {
		for (int i = 0; i < 64 * 1024 / 4; i += 1024)
			((int *)b)[i] = *count;
		*b = head;
		head = b;
		++*count;
	}
	return head;
}

static void give_back(void **head)
{
	while (head) {
		void **b = head;
		head = *b;
		free(b);
	}
}

int memhog_twice(int *second)
{
	int n;

	give_back(take_all(&n));
	give_back(take_all(second));
	return n;
}
