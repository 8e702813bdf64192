/* user/ulib.c: the small C library for user programs (xv6's set). */
#include "user/user.h"

char *strcpy(char *s, const char *t)
{
	char *os = s;

	while ((*s++ = *t++) != 0)
		;
	return os;
}

int strcmp(const char *p, const char *q)
{
	while (*p && *p == *q)
		p++, q++;
	return (uchar)*p - (uchar)*q;
}

int strncmp(const char *p, const char *q, uint n)
{
	for (; n; n--, p++, q++)
		if (*p != *q || !*p)
			return (uchar)*p - (uchar)*q;
	return 0;
}

uint strlen(const char *s)
{
	uint n = 0;

	while (s[n])
		n++;
	return n;
}

void *memset(void *dst, int c, uint n)
{
	char *d = dst;

	while (n--)
		*d++ = c;
	return dst;
}

int memcmp(const void *a, const void *b, uint n)
{
	const uchar *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

char *strchr(const char *s, char c)
{
	for (; *s; s++)
		if (*s == c)
			return (char *)s;
	return 0;
}

char *gets(char *buf, int max)
{
	int i = 0;
	char c;

	while (i + 1 < max) {
		if (read(0, &c, 1) < 1)
			break;
		buf[i++] = c;
		if (c == '\n' || c == '\r')
			break;
	}
	buf[i] = '\0';
	return buf;
}

int stat(const char *n, struct stat *st)
{
	int fd = open(n, O_RDONLY), r;

	if (fd < 0)
		return -1;
	r = fstat(fd, st);
	close(fd);
	return r;
}

int atoi(const char *s)
{
	int n = 0, neg = *s == '-';

	if (neg)
		s++;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + *s++ - '0';
	return neg ? -n : n;
}

void *memmove(void *vdst, const void *vsrc, int n)
{
	char *dst = vdst;
	const char *src = vsrc;

	if (dst < src)
		while (n-- > 0)
			*dst++ = *src++;
	else
		while (n-- > 0)
			dst[n] = src[n];
	return vdst;
}

/* gcc may call these on its own */
void *memcpy(void *dst, const void *src, uint n)
{
	return memmove(dst, src, n);
}

unsigned xorshift32(unsigned *state)
{
	unsigned x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}
