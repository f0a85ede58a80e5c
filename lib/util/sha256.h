/*
 * util/sha256.h - SHA-256 (FIPS 180-4), for content hashes of the inputs a
 * forecast run used (internal to libkasip).
 *
 * A hash written as 64 lower-case hex digits equals `sha256sum`'s of the
 * same bytes, so that a run's record can be checked against an exported
 * table: `kasip export forecast-assumptions | sha256sum`.
 */
#ifndef KSP_SHA256_H
#define KSP_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct ksp_sha256 {
	uint32_t h[8];
	uint64_t len;       /* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
};

void ksp_sha256_init(struct ksp_sha256 *c);
void ksp_sha256_update(struct ksp_sha256 *c, const void *data, size_t len);
/* The digest as 64 hex digits and a NUL in hex[65]. */
void ksp_sha256_final_hex(struct ksp_sha256 *c, char hex[65]);

#endif
