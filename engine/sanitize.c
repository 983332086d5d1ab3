/* sanitize.c: make every byte of a log visible and harmless. */
#include "sanitize.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

int
sanitize_is_clean(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;

	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			return 0;
	return 1;
}

/* Length of the valid UTF-8 sequence at p (2-4), or 0 if invalid. */
static size_t
utf8_seq(const unsigned char *p, size_t left, uint32_t *cp)
{
	size_t n;
	uint32_t c;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* reject overlong forms, surrogates and values past U+10FFFF */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

static int
unsafe_codepoint(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) ||		/* C1 controls */
	    (c >= 0x202a && c <= 0x202e) ||		/* bidi embeddings */
	    (c >= 0x2066 && c <= 0x2069) ||		/* bidi isolates */
	    c == 0x2028 || c == 0x2029 || c == 0xfeff;	/* separators, BOM */
}

/* The end of the run of printable ASCII starting at i: many bytes at a
 * time while they all are (nearly every byte of a log). */
static size_t
clean_run(const unsigned char *p, size_t i, size_t len)
{
#ifdef __SSE2__
	/* sixteen at a time; as signed bytes, 0x80 and up are negative, so
	 * one compare finds them with the controls below 0x20 */
	const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);

	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		int bad = _mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(x, space),
		    _mm_cmpeq_epi8(x, del)));

		if (bad != 0)
			return i + (size_t)__builtin_ctz((unsigned)bad);
	}
#else
	const uint64_t ones = 0x0101010101010101ULL, highs = ones * 0x80;

	for (; i + 8 <= len; i += 8) {
		uint64_t x;

		memcpy(&x, p + i, 8);
		/* a byte below 0x20 sets its high bit in the first test, one
		 * above 0x7e in the second (0x7f + 1, or set already) */
		if (((x - ones * 0x20) & ~x & highs) != 0 ||
		    ((x + ones) | x) & highs)
			break;
	}
#endif
	while (i < len && p[i] >= 0x20 && p[i] < 0x7f)
		i++;
	return i;
}

size_t
sanitize_append(struct buf *out, const char *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0, changed = 0, run, n;
	uint32_t cp;
	char esc[4];

	while (i < len) {
		run = clean_run(p, i, len);
		if (run > i) {
			buf_add(out, p + i, run - i);
			i = run;
			continue;
		}
		if (p[i] >= 0x80 && (n = utf8_seq(p + i, len - i, &cp)) > 0) {
			if (unsafe_codepoint(cp)) {
				buf_addf(out, "\\u{%04x}", (unsigned)cp);
				changed++;
			} else
				buf_add(out, p + i, n);
			i += n;
			continue;
		}
		changed++;
		if (p[i] == 0x1b)
			buf_adds(out, "\\e");
		else if (p[i] == '\t')
			buf_addc(out, ' ');
		else {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[p[i] >> 4];
			esc[3] = hex[p[i] & 0xf];
			buf_add(out, esc, 4);
		}
		i++;
	}
	return changed;
}

char *
sanitize_str(const char *s)
{
	struct buf b;

	buf_init(&b);
	sanitize_append(&b, s, strlen(s));
	return buf_steal(&b);
}
