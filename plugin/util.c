/* util.c - helpers every module shares: counts, numbers, buffers, paths */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

/* Digits of base 10 and 16 that cannot overflow 64 bits, read inline. */
#define DEC_SAFE_DIGITS 19
#define HEX_SAFE_DIGITS 16
/* A buffer's first allocation. */
#define BUF_MIN 64

/* The value of each hex digit, plus one; 0 for every other byte. */
static const unsigned char hex_plus1[256] = {
	['0'] = 1,  ['1'] = 2,	['2'] = 3,  ['3'] = 4,	['4'] = 5,  ['5'] = 6,
	['6'] = 7,  ['7'] = 8,	['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

int parse_ull(const char *s, int base, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *p = s;
	char *end;
	int h;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ' ||
	    (base != 10 && base != 16))
		return -1;
	/* Most values are plain digits, too few to overflow: read them here.
	 * Anything else goes to strtoull, which judges the rest. */
	if (base == 10)
		for (; *p >= '0' && *p <= '9' && p - s < DEC_SAFE_DIGITS; p++)
			v = v * 10 + (unsigned)(*p - '0');
	else
		for (; p - s < HEX_SAFE_DIGITS &&
		       (h = hex_plus1[(unsigned char)*p] - 1) >= 0;
		     p++)
			v = v << 4 | (unsigned)h;
	if (!*p) {
		*out = v;
		return 0;
	}
	/* strtoull would take a 0x prefix in base 16: not a number here */
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

char *buf_reserve(struct buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->cap - b->len >= n && b->p)
		return b->p + b->len;
	if (n > SIZE_MAX / 4 - b->len)
		return NULL;
	cap = b->cap ? b->cap : BUF_MIN;
	while (cap - b->len < n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return NULL;
	b->p = p;
	b->cap = cap;
	return p + b->len;
}

int buf_append(struct buf *b, const char *s, size_t n)
{
	char *o = buf_reserve(b, n);

	if (!o)
		return -1;
	if (n)
		memcpy(o, s, n);
	b->len += n;
	return 0;
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

const char *path_base(const char *path)
{
	const char *slash;

	if (!path)
		return NULL;
	slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

int mkdir_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc = 0;

	if (!slash || slash == path)
		return 0;
	dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return -1;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		rc = -1;
	free(dir);
	return rc;
}
