/*
 * kernel/lib/vsprintf.c: formatted output into a buffer, for printk and friends.
 *
 * Conversions: %d %i %u %x %X %o %s %c %p %% ; flags '-' and '0'; a field
 * width and, for %s, a precision (either may be '*'); length modifiers 'l'
 * (no effect on i386) and 'll' (64-bit). %p prints 0x and 8 hex digits.
 * An unknown conversion is copied through as text so the mistake is visible.
 * Like C's vsnprintf the result is the length the whole output would have,
 * and the buffer is always NUL-terminated when size > 0.
 */
#include "kernel/lib/lib.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
		       bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left && pad == '0' && n && (*s == '-')) {
		put(o, *s++);	/* the sign goes before zero padding */
		n--;
	}
	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

/* Write v in base into tmp (backwards) and return the digit count. */
static int fmt_uint(char *end, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		*--end = digits[v % base];
		v /= base;
		n++;
	} while (v);
	return n;
}

struct spec {
	bool left;
	char pad;
	int width;
	int prec;
	int lng;
};

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->left = false;
	sp->pad = ' ';
	sp->width = 0;
	sp->prec = -1;
	sp->lng = 0;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->pad = '0';
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	while (*f == 'l') {
		sp->lng++;
		f++;
	}
	return f;
}

static void conv_number(struct out *o, struct spec *sp, char c, va_list *ap)
{
	char tmp[24], *end = tmp + sizeof(tmp);
	uint64_t v;
	bool neg = false;
	int n;

	if (c == 'd' || c == 'i') {
		int64_t s = sp->lng >= 2 ? va_arg(*ap, int64_t) : va_arg(*ap, int);
		neg = s < 0;
		v = neg ? -(uint64_t)s : (uint64_t)s;
	} else {
		v = sp->lng >= 2 ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
	}
	n = fmt_uint(end, v, c == 'o' ? 8 : (c == 'x' || c == 'X') ? 16 : 10,
		     c == 'X');
	if (neg) {
		*(end - n - 1) = '-';
		n++;
	}
	put_padded(o, end - n, n, sp->width, sp->left, sp->pad);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	for (const char *f = fmt; *f; f++) {
		const char *start = f;

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &aq);
		switch (*f) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
			conv_number(&o, &sp, *f, &aq);
			break;
		case 'p': {
			char tmp[10];
			uintptr_t v = (uintptr_t)va_arg(aq, void *);

			tmp[0] = '0';
			tmp[1] = 'x';
			for (int i = 0; i < 8; i++)
				tmp[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
			put_padded(&o, tmp, 10, sp.width, sp.left, ' ');
			break;
		}
		case 's': {
			const char *s = va_arg(aq, const char *);
			if (!s)
				s = "(null)";
			size_t n = sp.prec >= 0 ? strnlen(s, sp.prec) : strlen(s);
			put_padded(&o, s, n, sp.width, sp.left, ' ');
			break;
		}
		case 'c': {
			char ch = (char)va_arg(aq, int);
			put_padded(&o, &ch, 1, sp.width, sp.left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:	/* unknown or truncated: show it as written */
			for (; start <= f && *start; start++)
				put(&o, *start);
			if (!*f)
				f--;
			break;
		}
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
