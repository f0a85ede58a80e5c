/*
 * apikey.c - API keys (kasip/apikey.h).
 *
 * A key is 32 random bytes: enough that a fast hash is the right tool (no
 * password stretching is needed against guessing 256 bits).  The hash is
 * BLAKE2b-256 keyed with a fixed context string, so a hash in this table
 * is useless as a hash of anything else.  The first 8 characters of the
 * key's random part are its public prefix: the row is found by it and the
 * hashes compared in constant time.
 */
#include <sodium.h>

#include "kasip/apikey.h"
#include "kasip/query.h"
#include "store/store.h"
#include "util/xmalloc.h"

#define KEY_TAG "kasip_"
#define KEY_TAG_LEN 6
#define KEY_RANDOM 32
#define KEY_B64_LEN 43 /* base64url of 32 bytes, no padding */

/* The hash key: a fixed domain separator (crypto_generichash_KEYBYTES_MIN is 16). */
static const unsigned char hash_context[32] = "kasip api key hash, version 1..";

static const char *const role_names[] = { "none", "viewer", "analyst", "admin" };

const char *ksp_role_name(int role)
{
	return role >= KSP_ROLE_NONE && role <= KSP_ROLE_ADMIN ? role_names[role] : "none";
}

int ksp_role_parse(const char *s)
{
	for (int i = KSP_ROLE_VIEWER; i <= KSP_ROLE_ADMIN; i++)
		if (s && !strcmp(s, role_names[i]))
			return i;
	return KSP_ROLE_NONE;
}

static int sodium_ready(struct ksp_error *err)
{
	if (sodium_init() < 0)
		return ksp_error_set(err, KSP_EINTERNAL, "libsodium did not start");
	return KSP_OK;
}

static void now_utc(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The hex hash of a key's text. */
static void key_hash(const char *key, char hex[crypto_generichash_BYTES * 2 + 1])
{
	unsigned char h[crypto_generichash_BYTES];

	crypto_generichash(h, sizeof(h), (const unsigned char *)key, strlen(key), hash_context,
			   sizeof(hash_context));
	sodium_bin2hex(hex, crypto_generichash_BYTES * 2 + 1, h, sizeof(h));
	sodium_memzero(h, sizeof(h));
}

static int name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n < 1 || n > KSP_APIKEY_NAME_MAX)
		return 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

int ksp_apikey_new(struct ksp_store *s, const char *name, int role, const char *region,
		   char key[KSP_APIKEY_SIZE], struct ksp_apikey *info, struct ksp_error *err)
{
	unsigned char raw[KEY_RANDOM];
	char hex[crypto_generichash_BYTES * 2 + 1];
	struct ksp_apikey k;
	struct ksp_region reg;
	struct ksp_stmt *st = NULL;
	long long exists = 0;
	int rc;

	memset(&k, 0, sizeof(k));
	if (!name_ok(name))
		return ksp_error_set(err, KSP_EUSAGE,
				     "a key needs a name of 1 to %d printable characters",
				     KSP_APIKEY_NAME_MAX);
	if (role < KSP_ROLE_VIEWER || role > KSP_ROLE_ADMIN)
		return ksp_error_set(err, KSP_EUSAGE, "a key's role is viewer, analyst or admin");
	if ((rc = sodium_ready(err)))
		return rc;
	if (region && *region) {
		if ((rc = ksp_region_find(s, region, &reg, err)))
			return rc;
		snprintf(k.region, sizeof(k.region), "%s", reg.kato);
	}
	rc = ksp_store_query_int(s, "SELECT count(*) FROM api_key WHERE name = ?", &exists, err,
				 name, (const char *)NULL);
	if (rc < 0)
		return rc;
	if (exists)
		return ksp_error_set(err, KSP_ECONFLICT, "there is a key named \"%s\" already", name);
	/* A prefix that collides with another key's is drawn again (1 in 2^48 each time). */
	for (int attempt = 0;; attempt++) {
		memcpy(key, KEY_TAG, KEY_TAG_LEN);
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2base64(key + KEY_TAG_LEN, KSP_APIKEY_SIZE - KEY_TAG_LEN, raw, sizeof(raw),
				  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		sodium_memzero(raw, sizeof(raw));
		memcpy(k.prefix, key + KEY_TAG_LEN, KSP_APIKEY_PREFIX_LEN);
		k.prefix[KSP_APIKEY_PREFIX_LEN] = 0;
		rc = ksp_store_query_int(s, "SELECT count(*) FROM api_key WHERE prefix = ?", &exists,
					 err, k.prefix, (const char *)NULL);
		if (rc < 0)
			return rc;
		if (!exists)
			break;
		if (attempt > 8)
			return ksp_error_set(err, KSP_EINTERNAL, "no free key prefix");
	}
	key_hash(key, hex);
	snprintf(k.name, sizeof(k.name), "%s", name);
	k.role = role;
	now_utc(k.created, sizeof(k.created));
	rc = ksp_stmt_prepare(s,
			      "INSERT INTO api_key (id, prefix, hash, name, role, region, created) "
			      "SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ?, ? FROM api_key",
			      &st, err);
	if (rc)
		goto fail;
	ksp_stmt_bind_text(st, 1, k.prefix, -1);
	ksp_stmt_bind_text(st, 2, hex, -1);
	ksp_stmt_bind_text(st, 3, k.name, -1);
	ksp_stmt_bind_text(st, 4, ksp_role_name(role), -1);
	ksp_stmt_bind_text(st, 5, k.region, -1);
	ksp_stmt_bind_text(st, 6, k.created, -1);
	rc = ksp_stmt_step(st, err);
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		goto fail;
	rc = ksp_store_query_int(s, "SELECT id FROM api_key WHERE prefix = ?", &k.id, err, k.prefix,
				 (const char *)NULL);
	if (rc)
		goto fail;
	if (info)
		*info = k;
	return KSP_OK;
fail:
	sodium_memzero(key, KSP_APIKEY_SIZE);
	return rc ? rc : KSP_EDB;
}

static const char key_columns[] =
	"SELECT id, prefix, name, role, region, created, revoked, hash FROM api_key ";

static void key_read(struct ksp_stmt *st, struct ksp_apikey *k)
{
	memset(k, 0, sizeof(*k));
	k->id = ksp_stmt_column_int64(st, 0);
	snprintf(k->prefix, sizeof(k->prefix), "%s", ksp_stmt_column_text(st, 1));
	snprintf(k->name, sizeof(k->name), "%s", ksp_stmt_column_text(st, 2));
	k->role = ksp_role_parse(ksp_stmt_column_text(st, 3));
	snprintf(k->region, sizeof(k->region), "%s", ksp_stmt_column_text(st, 4));
	snprintf(k->created, sizeof(k->created), "%s", ksp_stmt_column_text(st, 5));
	snprintf(k->revoked, sizeof(k->revoked), "%s", ksp_stmt_column_text(st, 6));
}

int ksp_apikey_list(struct ksp_store *s, struct ksp_apikey **out, size_t *n,
		    struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	char sql[160];
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	snprintf(sql, sizeof(sql), "%sORDER BY id", key_columns);
	if ((rc = ksp_stmt_prepare(s, sql, &st, err)))
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		key_read(st, &(*out)[(*n)++]);
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

int ksp_apikey_revoke(struct ksp_store *s, const char *name, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	char now[32];
	int rc;

	now_utc(now, sizeof(now));
	rc = ksp_stmt_prepare(s,
			      "UPDATE api_key SET revoked = ? "
			      "WHERE (name = ? OR prefix = ?) AND revoked = ''",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, now, -1);
	ksp_stmt_bind_text(st, 2, name ? name : "", -1);
	ksp_stmt_bind_text(st, 3, name ? name : "", -1);
	rc = ksp_stmt_step(st, err);
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		return rc;
	if (ksp_store_changes(s) < 1)
		return ksp_error_set(err, KSP_ENOTFOUND, "no valid key named \"%s\"",
				     name ? name : "");
	return KSP_OK;
}

int ksp_apikey_check(struct ksp_store *s, const char *key, struct ksp_apikey *out,
		     struct ksp_error *err)
{
	char hex[crypto_generichash_BYTES * 2 + 1], prefix[KSP_APIKEY_PREFIX_LEN + 1], sql[160];
	struct ksp_stmt *st = NULL;
	struct ksp_apikey k;
	int rc, ok = 0;

	if (!key || strlen(key) != KEY_TAG_LEN + KEY_B64_LEN || memcmp(key, KEY_TAG, KEY_TAG_LEN))
		return ksp_error_set(err, KSP_ENOTFOUND, "not a kasip API key");
	if ((rc = sodium_ready(err)))
		return rc;
	memcpy(prefix, key + KEY_TAG_LEN, KSP_APIKEY_PREFIX_LEN);
	prefix[KSP_APIKEY_PREFIX_LEN] = 0;
	key_hash(key, hex);
	snprintf(sql, sizeof(sql), "%sWHERE prefix = ?", key_columns);
	if ((rc = ksp_stmt_prepare(s, sql, &st, err)))
		return rc;
	ksp_stmt_bind_text(st, 1, prefix, -1);
	rc = ksp_stmt_step(st, err);
	if (rc == KSP_ROW) {
		const char *stored = ksp_stmt_column_text(st, 7);

		key_read(st, &k);
		ok = strlen(stored) == strlen(hex) &&
		     sodium_memcmp(stored, hex, strlen(hex)) == 0 && !k.revoked[0];
		rc = KSP_OK;
	} else if (rc == KSP_DONE) {
		rc = KSP_OK;
	}
	ksp_stmt_finalize(st);
	sodium_memzero(hex, sizeof(hex));
	if (rc)
		return rc;
	if (!ok)
		return ksp_error_set(err, KSP_ENOTFOUND, "unknown or revoked API key");
	if (out)
		*out = k;
	return KSP_OK;
}
