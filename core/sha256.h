/* SHA-256 (FIPS 180-4) for artifact and blueprint hashes. Incremental or one-shot; no allocation.
 * The context is caller-owned and embeds no pointers, so it may live on the stack. */
#ifndef CSF_CORE_SHA256_H
#define CSF_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct csf_sha256 {
	uint32_t h[8];
	uint64_t nbytes;
	unsigned char block[64];
	size_t fill;
};

void csf_sha256_init(struct csf_sha256 *c);
void csf_sha256_update(struct csf_sha256 *c, const void *data, size_t len);
/* Writes the 32-byte digest; c must be re-initialised before reuse. */
void csf_sha256_final(struct csf_sha256 *c, unsigned char out[32]);
/* Lower-case hex digest of data[0..len) into hex[65] (NUL-terminated). Returns hex. */
char *csf_sha256_hex(const void *data, size_t len, char hex[65]);
/* Lower-case hex of a 32-byte digest into hex[65]. */
char *csf_sha256_tohex(const unsigned char d[32], char hex[65]);

#endif
