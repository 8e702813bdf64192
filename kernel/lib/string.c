/*
 * kernel/lib/string.c: the freestanding C string functions the kernel uses.
 * gcc may also emit calls to memset/memcpy/memmove/memcmp on its own, so
 * these names must exist even where no C file calls them.
 */
#include "kernel/lib/lib.h"

/*
 * Whole words with rep stosl/movsl when everything is word-aligned (pages
 * are), else bytes. The direction flag is clear in the kernel: entry.S
 * starts that way and alltraps clears it on every trap.
 */
void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	if (!(((uintptr_t)dst | n) & 3)) {
		size_t words = n / 4;
		uint32_t w = (uint8_t)c * 0x01010101u;
		__asm__ volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(w) : "memory");
	} else {
		__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	}
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	if (!(((uintptr_t)dst | (uintptr_t)src | n) & 3)) {
		size_t words = n / 4;
		__asm__ volatile("rep movsl" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
	} else {
		__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return n ? NULL : (char *)hay;
}

/* Copy src into dst (size bytes, always NUL-terminated); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

int parse_uint(const char *s, size_t len, uint32_t *out)
{
	uint32_t base = 10, v = 0;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		uint32_t d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		if (v > (0xffffffffu - d) / base)
			return -1;	/* overflow */
		v = v * base + d;
	}
	*out = v;
	return 0;
}

bool mem_is_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

uint32_t crc32(uint32_t crc, const void *buf, size_t n)
{
	const uint8_t *b = buf;

	crc = ~crc;
	while (n--) {
		crc ^= *b++;
		for (int k = 0; k < 8; k++)	/* bit by bit: small, and fast enough for a bitmap */
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}
