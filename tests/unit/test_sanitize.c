/* core/sanitize: what reaches the terminal from hostile strings (span names, event messages,
 * labels). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sanitize.h"

#define RC "\xEF\xBF\xBD"	/* U+FFFD */

static void
check(const char *in, size_t len, unsigned flags, const char *want)
{
	struct csf_buf b = CSF_BUF_INIT;

	csf_sanitize_buf(&b, in, len, flags);
	assert_string_equal(b.buf, want);
	assert_int_equal(csf_sanitize_needed(in, len, flags), strcmp(in, want) != 0 || len != strlen(in));
	csf_buf_release(&b);
}

#define CHECK(in, flags, want) check(in, sizeof(in) - 1, flags, want)

static void
test_sanitize_keeps_printable_utf8(void **state)
{
	(void)state;
	CHECK("POST /appointments", 0, "POST /appointments");
	CHECK("Tierarzt Zürich — 日本語 🐾", 0, "Tierarzt Zürich — 日本語 🐾");
	CHECK("", 0, "");
}

static void
test_sanitize_removes_escape_sequences_whole(void **state)
{
	(void)state;
	/* SGR colours: one replacement per sequence, the text between survives */
	CHECK("a\x1b[31mred\x1b[0m", 0, "a" RC "red" RC);
	/* cursor movement and screen clearing */
	CHECK("\x1b[2J\x1b[1;1Hhi", 0, RC RC "hi");
	/* OSC window title ended by BEL, and an OSC 8 hyperlink ended by ST */
	CHECK("\x1b]0;pwned\x07x", 0, RC "x");
	CHECK("\x1b]8;;http://evil\x1b\\link", 0, RC "link");
	/* DCS string, and a two-byte ESC sequence (ESC c = full reset) */
	CHECK("\x1bPq#0;2;0;0;0\x1b\\ok", 0, RC "ok");
	CHECK("\x1b" "cok", 0, RC "ok");
	/* ESC at the very end */
	CHECK("tail\x1b", 0, "tail" RC);
	/* an unterminated OSC swallows the rest rather than leaking it */
	CHECK("\x1b]2;title never ends", 0, RC);
}

static void
test_sanitize_replaces_controls(void **state)
{
	(void)state;
	CHECK("a\x01" "b\x7f" "c\x08" "d", 0, "a" RC "b" RC "c" RC "d");
	CHECK("bell\x07", 0, "bell" RC);
	CHECK("line1\nline2\r", 0, "line1" RC "line2" RC);
	CHECK("line1\nline2", CSF_SAN_KEEP_NL, "line1\nline2");
	CHECK("a\tb", 0, "a b");
	CHECK("a\tb", CSF_SAN_KEEP_TAB, "a\tb");
	/* a NUL byte inside the length is a control, not the end */
	check("a\0b", 3, 0, "a" RC "b");
}

static void
test_sanitize_replaces_c1_controls(void **state)
{
	(void)state;
	/* U+0085 NEL, and U+009B (8-bit CSI) with its parameters */
	CHECK("x\xc2\x85y", 0, "x" RC "y");
	CHECK("\xc2\x9b" "31mred", 0, RC "red");
	/* U+009D (8-bit OSC) up to BEL */
	CHECK("\xc2\x9d" "0;t\x07!", 0, RC "!");
}

static void
test_sanitize_replaces_invalid_utf8(void **state)
{
	(void)state;
	CHECK("a\xff" "b", 0, "a" RC "b");
	/* a raw 8-bit CSI byte is invalid UTF-8 */
	CHECK("\x9b" "2J", 0, RC "2J");
	/* overlong '/', a surrogate, above U+10FFFF, truncated at the end */
	CHECK("\xc0\xaf", 0, RC RC);
	CHECK("\xed\xa0\x80", 0, RC RC RC);
	CHECK("\xf4\x90\x80\x80", 0, RC RC RC RC);
	CHECK("ok\xe2\x82", 0, "ok" RC RC);
}

static void
test_sanitize_replaces_bidi_overrides(void **state)
{
	(void)state;
	/* "Trojan source": RLO would display 'evil' reversed */
	CHECK("safe\xe2\x80\xae" "live", 0, "safe" RC "live");
	CHECK("\xe2\x81\xa6x\xe2\x81\xa9", 0, RC "x" RC);
	CHECK("a\xe2\x80\xa8" "b", 0, "a" RC "b");
}

static void
test_sanitize_ascii_mode(void **state)
{
	(void)state;
	CHECK("Zürich \x1b[1mbold", CSF_SAN_ASCII, "Z?rich ?bold");
	CHECK("plain", CSF_SAN_ASCII, "plain");
}

static void
test_sanitize_str_and_tmp(void **state)
{
	struct csf_buf scratch = CSF_BUF_INIT;
	const char *clean = "booking-service";
	char *s;

	(void)state;
	s = csf_sanitize_str("x\x1b[0m", 0);
	assert_string_equal(s, "x" RC);
	free(s);
	s = csf_sanitize_str(NULL, 0);
	assert_string_equal(s, "");
	free(s);
	/* a clean string is returned as is, without copying */
	assert_ptr_equal(csf_sanitize_tmp(&scratch, clean, 0), clean);
	assert_string_equal(csf_sanitize_tmp(&scratch, "\x1b[0mz", 0), RC "z");
	assert_string_equal(csf_sanitize_tmp(&scratch, NULL, 0), "");
	csf_buf_release(&scratch);
}

/* Whatever the input, the output holds no control byte, no ESC, and is valid UTF-8. */
static void
test_sanitize_output_is_always_safe(void **state)
{
	struct csf_buf b = CSF_BUF_INIT;
	uint32_t seed = 12345;
	unsigned char in[64];
	int round;

	(void)state;
	for (round = 0; round < 20000; round++) {
		size_t len = round % 64, i;

		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* bias towards the interesting bytes */
			in[i] = (unsigned char)((seed >> 16) % 5 == 0 ? 0x1b :
						(seed >> 16) % 7 == 0 ? 0xc2 : (seed >> 8));
		}
		csf_buf_reset(&b);
		csf_sanitize_buf(&b, (const char *)in, len, 0);
		for (i = 0; i < b.len; i++) {
			unsigned char c = (unsigned char)b.buf[i];

			assert_true(c >= 0x20 && c != 0x7f);
			if (c >= 0x80) {
				size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2, k;

				assert_true(c >= 0xc2 && c <= 0xf4);
				assert_true(i + n <= b.len);
				for (k = 1; k < n; k++)
					assert_int_equal((unsigned char)b.buf[i + k] & 0xc0, 0x80);
				/* never a C1 control, even well-formed */
				assert_false(c == 0xc2 && (unsigned char)b.buf[i + 1] < 0xa0);
				i += n - 1;
			}
		}
		assert_false(csf_sanitize_needed(b.buf, b.len, 0));
	}
	csf_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize_keeps_printable_utf8),
		cmocka_unit_test(test_sanitize_removes_escape_sequences_whole),
		cmocka_unit_test(test_sanitize_replaces_controls),
		cmocka_unit_test(test_sanitize_replaces_c1_controls),
		cmocka_unit_test(test_sanitize_replaces_invalid_utf8),
		cmocka_unit_test(test_sanitize_replaces_bidi_overrides),
		cmocka_unit_test(test_sanitize_ascii_mode),
		cmocka_unit_test(test_sanitize_str_and_tmp),
		cmocka_unit_test(test_sanitize_output_is_always_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
