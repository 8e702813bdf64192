/*
 * kernel/lib/lib.h: the small C library the kernel carries
 * (kernel/lib/string.c, kernel/lib/vsprintf.c), arithmetic helpers, and
 * the list macros (kernel/lib/list.h) that every layer uses.
 */
#ifndef KERNEL_LIB_LIB_H
#define KERNEL_LIB_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/lib/list.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

/* The C library's memory and string functions, with their standard meanings. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
size_t strlcpy(char *dst, const char *src, size_t size);

/* Parse a decimal or 0x-prefixed unsigned number; 0 on success, -1 if s is not one. */
int parse_uint(const char *s, size_t len, uint32_t *out);
/* Are the n bytes at p all zero? */
bool mem_is_zero(const void *p, size_t n);
/* CRC-32 (IEEE 802.3, as zlib's crc32 and Python's zlib.crc32) of n bytes,
   continuing from crc (0 to start). */
uint32_t crc32(uint32_t crc, const void *buf, size_t n);

/* Format into buf (at most size bytes, always terminated); the length it wanted. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* snprintf at b + k of a buffer of n bytes, adding what it wanted to k: a
   report too long is cut, never overrun (k then ends at n or past it). */
#define SNAPPEND(b, n, k, ...)	((k) += snprintf((b) + (k), (size_t)(k) < (n) ? (n) - (k) : 0, \
						 __VA_ARGS__))

#endif
