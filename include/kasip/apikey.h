/*
 * kasip/apikey.h - API keys: who may write through the server.
 *
 * A key is "kasip_" followed by 43 base64url characters (32 random bytes
 * from libsodium).  It is shown once, when made; the database keeps only
 * its first 8 random characters (the public prefix, to find it by and to
 * name it in lists) and a keyed BLAKE2b-256 hash of the whole key.  A key
 * is checked by its prefix and a constant-time comparison of the hashes
 * (sodium_memcmp), so its text never reaches the database or a log.
 *
 * Roles, from least to most: viewer (may read when the server is
 * private), analyst (may also import, write scenarios and run forecasts
 * and matchings; a key bound to a region only for that region), admin
 * (everything).
 *
 * All functions are thread-safe given one store handle per thread.
 */
#ifndef KASIP_APIKEY_H
#define KASIP_APIKEY_H

#include <stddef.h>

#include "kasip/error.h"
#include "kasip/store.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ksp_role { KSP_ROLE_NONE = 0, KSP_ROLE_VIEWER = 1, KSP_ROLE_ANALYST = 2, KSP_ROLE_ADMIN = 3 };

/* A key's text with its NUL: "kasip_" + 43 characters. */
#define KSP_APIKEY_SIZE 52
#define KSP_APIKEY_PREFIX_LEN 8
#define KSP_APIKEY_NAME_MAX 100

struct ksp_apikey {
	long long id;
	char prefix[KSP_APIKEY_PREFIX_LEN + 1];
	char name[KSP_APIKEY_NAME_MAX + 1];
	int role;        /* enum ksp_role */
	char region[16]; /* KATO code of the region it is bound to, "" for none */
	char created[32];
	char revoked[32]; /* when it was revoked, "" while it is valid */
};

/* "viewer", "analyst", "admin" ("none" for KSP_ROLE_NONE). */
const char *ksp_role_name(int role);
/* The role named s, or KSP_ROLE_NONE. */
int ksp_role_parse(const char *s);

/*
 * Make a key: name (1..100 printable characters, unique), role, region
 * (NULL or "": none; else a KATO or ISO 3166-2 code, stored as KATO).
 * Writes the key's text into key (KSP_APIKEY_SIZE bytes) and its record
 * into *info (may be NULL).  Errors: KSP_EUSAGE (bad name or role),
 * KSP_ENOTFOUND (no such region), KSP_ECONFLICT (the name is taken),
 * KSP_EDB, KSP_EINTERNAL (libsodium failed to start).
 */
int ksp_apikey_new(struct ksp_store *s, const char *name, int role, const char *region,
		   char key[KSP_APIKEY_SIZE], struct ksp_apikey *info, struct ksp_error *err);

/* Every key (revoked ones too), by id; free with free(). */
int ksp_apikey_list(struct ksp_store *s, struct ksp_apikey **out, size_t *n,
		    struct ksp_error *err);

/* Revoke the key named name (or with that prefix).  KSP_ENOTFOUND, KSP_EDB. */
int ksp_apikey_revoke(struct ksp_store *s, const char *name, struct ksp_error *err);

/*
 * Check a key's text.  KSP_OK fills *out (may be NULL); KSP_ENOTFOUND for
 * a malformed, unknown or revoked key (the message never repeats the key);
 * KSP_EDB.
 */
int ksp_apikey_check(struct ksp_store *s, const char *key, struct ksp_apikey *out,
		     struct ksp_error *err);

#ifdef __cplusplus
}
#endif
#endif
