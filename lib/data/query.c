/*
 * query.c - reference data and statistics read back for people (kasip/query.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasip/i18n.h"

#include "kasip/query.h"
#include "store/store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

#define COPY(dst, src) copy(dst, sizeof(dst), src)

/* ---- regions ----------------------------------------------------------------- */

static const char region_select[] =
	"SELECT r.kato, r.iso, r.type, r.name_en, r.name_ru, r.name_kk, r.centre_en, r.centre_ru,"
	" r.centre_kk, r.lat, r.lon,"
	" (SELECT p.value FROM population p WHERE p.region = r.kato AND p.measure = 'average'"
	"   AND p.sex = 'total' AND p.age = 'total' ORDER BY p.year DESC LIMIT 1),"
	" (SELECT p.year FROM population p WHERE p.region = r.kato AND p.measure = 'average'"
	"   AND p.sex = 'total' AND p.age = 'total' ORDER BY p.year DESC LIMIT 1)"
	" FROM region r";

static void region_from_row(struct ksp_stmt *st, struct ksp_region *r)
{
	memset(r, 0, sizeof(*r));
	COPY(r->kato, ksp_stmt_column_text(st, 0));
	COPY(r->iso, ksp_stmt_column_text(st, 1));
	COPY(r->type, ksp_stmt_column_text(st, 2));
	COPY(r->name_en, ksp_stmt_column_text(st, 3));
	COPY(r->name_ru, ksp_stmt_column_text(st, 4));
	COPY(r->name_kk, ksp_stmt_column_text(st, 5));
	COPY(r->centre_en, ksp_stmt_column_text(st, 6));
	COPY(r->centre_ru, ksp_stmt_column_text(st, 7));
	COPY(r->centre_kk, ksp_stmt_column_text(st, 8));
	r->has_centre = !ksp_stmt_column_is_null(st, 9) && !ksp_stmt_column_is_null(st, 10);
	r->lat = ksp_stmt_column_double(st, 9);
	r->lon = ksp_stmt_column_double(st, 10);
	if (ksp_stmt_column_is_null(st, 11)) {
		r->population = -1;
		r->population_year = 0;
	} else {
		r->population = ksp_stmt_column_double(st, 11);
		r->population_year = (int)ksp_stmt_column_int64(st, 12);
	}
}

int ksp_region_list(struct ksp_store *s, unsigned flags, struct ksp_region **out, size_t *n,
		    struct ksp_error *err)
{
	struct ksp_strbuf sql = KSP_STRBUF_INIT;
	struct ksp_stmt *st;
	struct ksp_region *list = NULL;
	size_t cap = 0, len = 0;
	int rc;

	*out = NULL;
	*n = 0;
	ksp_strbuf_addstr(&sql, region_select);
	if (!(flags & KSP_REGION_WITH_COUNTRY))
		ksp_strbuf_addstr(&sql, " WHERE r.type <> 'country'");
	ksp_strbuf_addstr(&sql, " ORDER BY r.kato");
	rc = ksp_stmt_prepare(s, sql.buf, &st, err);
	ksp_strbuf_release(&sql);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		KSP_ALLOC_GROW(list, len + 1, cap);
		region_from_row(st, &list[len++]);
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE) {
		free(list);
		return rc;
	}
	*out = list;
	*n = len;
	return KSP_OK;
}

void ksp_region_list_free(struct ksp_region *list)
{
	free(list);
}

int ksp_region_find(struct ksp_store *s, const char *code, struct ksp_region *out,
		    struct ksp_error *err)
{
	struct ksp_strbuf sql = KSP_STRBUF_INIT;
	struct ksp_stmt *st;
	int rc;

	ksp_strbuf_addf(&sql, "%s WHERE r.kato = ? OR upper(r.iso) = upper(?)", region_select);
	rc = ksp_stmt_prepare(s, sql.buf, &st, err);
	ksp_strbuf_release(&sql);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, code, -1);
	ksp_stmt_bind_text(st, 2, code, -1);
	rc = ksp_stmt_step(st, err);
	if (rc == KSP_ROW) {
		region_from_row(st, out);
		rc = KSP_OK;
	} else if (rc == KSP_DONE) {
		rc = ksp_error_set(err, KSP_ENOTFOUND,
				   "no region with code '%s' (use a KATO code such as 590000000 or an "
				   "ISO 3166-2 code such as KZ-59; 'kasip regions' lists them)", code);
	}
	ksp_stmt_finalize(st);
	return rc;
}

const char *ksp_region_name(const struct ksp_region *r, const char *lang)
{
	if (lang && !strcmp(lang, "kk") && r->name_kk[0])
		return r->name_kk;
	if (lang && !strcmp(lang, "ru") && r->name_ru[0])
		return r->name_ru;
	return r->name_en;
}

const char *ksp_region_centre(const struct ksp_region *r, const char *lang)
{
	if (lang && !strcmp(lang, "kk") && r->centre_kk[0])
		return r->centre_kk;
	if (lang && !strcmp(lang, "ru") && r->centre_ru[0])
		return r->centre_ru;
	return r->centre_en;
}

/* ---- occupations ------------------------------------------------------------- */

/*
 * Lower case of one code point for the scripts of the titles: ASCII, Latin-1
 * capitals, and Cyrillic with the Kazakh letters (А-Я, Ѐ-Џ, Ғ Қ Ң Ү Ұ Һ Ә Ө
 * and their kin: the even/odd pairs of U+0460-U+04FF).  Enough for
 * case-insensitive search in kk, ru and en without the machine's locales.
 */
static uint32_t fold(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 0x20;
	if (c >= 0x410 && c <= 0x42F)
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
	     (c >= 0x4D0 && c <= 0x4FF)) && !(c & 1))
		return c + 1;
	if (c >= 0x4C1 && c <= 0x4CE && (c & 1))
		return c + 1;
	return c;
}

/* Decode one UTF-8 sequence at *p (advancing it); bad bytes stand for themselves. */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];

	if (c >= 0xC0 && c < 0xE0 && (s[1] & 0xC0) == 0x80) {
		*p += 2;
		return (c & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if (c >= 0xE0 && c < 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*p += 3;
		return (c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	*p += 1;
	return c;
}

/* Whether needle occurs in hay, ignoring case as fold() does. */
static int title_matches(const char *needle, const char *hay)
{
	for (const unsigned char *h = (const unsigned char *)hay; *h; next_cp(&h)) {
		const unsigned char *a = h, *b = (const unsigned char *)needle;

		for (;;) {
			if (!*b)
				return 1;
			if (!*a || fold(next_cp(&a)) != fold(next_cp(&b)))
				break;
		}
	}
	return !*needle;
}

int ksp_occupation_list(struct ksp_store *s, const struct ksp_occupation_query *q,
			struct ksp_occupation **out, size_t *n, struct ksp_error *err)
{
	struct ksp_stmt *st;
	struct ksp_occupation *list = NULL;
	size_t cap = 0, len = 0;
	const char *cls = q && q->classification ? q->classification : "ISCO-08";
	const char *under = q && q->under ? q->under : "";
	const char *search = q && q->search ? q->search : "";
	int level = q ? q->level : 0, rc;

	*out = NULL;
	*n = 0;
	/*
	 * Codes are hierarchical by prefix in ISCO-08 (7 > 72 > 721 > 7212), so
	 * "under" is a prefix match; a national classifier with other codes still
	 * nests by prefix in kasip's import convention (docs/data.md).
	 */
	rc = ksp_stmt_prepare(s,
			      "SELECT classification, code, level, coalesce(parent_code, ''),"
			      " title_en, title_ru, title_kk, title_en_source, title_ru_source,"
			      " title_kk_source FROM occupation"
			      " WHERE classification = ? AND (? = 0 OR level = ?)"
			      " AND substr(code, 1, length(?)) = ?"
			      " ORDER BY code",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, cls, -1);
	ksp_stmt_bind_int64(st, 2, level);
	ksp_stmt_bind_int64(st, 3, level);
	ksp_stmt_bind_text(st, 4, under, -1);
	ksp_stmt_bind_text(st, 5, under, -1);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_occupation *o;

		if (*search && !title_matches(search, ksp_stmt_column_text(st, 4)) &&
		    !title_matches(search, ksp_stmt_column_text(st, 5)) &&
		    !title_matches(search, ksp_stmt_column_text(st, 6)))
			continue;
		KSP_ALLOC_GROW(list, len + 1, cap);
		o = &list[len++];
		memset(o, 0, sizeof(*o));
		COPY(o->classification, ksp_stmt_column_text(st, 0));
		COPY(o->code, ksp_stmt_column_text(st, 1));
		o->level = (int)ksp_stmt_column_int64(st, 2);
		COPY(o->parent_code, ksp_stmt_column_text(st, 3));
		COPY(o->title_en, ksp_stmt_column_text(st, 4));
		COPY(o->title_ru, ksp_stmt_column_text(st, 5));
		COPY(o->title_kk, ksp_stmt_column_text(st, 6));
		COPY(o->title_en_source, ksp_stmt_column_text(st, 7));
		COPY(o->title_ru_source, ksp_stmt_column_text(st, 8));
		COPY(o->title_kk_source, ksp_stmt_column_text(st, 9));
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE) {
		free(list);
		return rc;
	}
	*out = list;
	*n = len;
	return KSP_OK;
}

void ksp_occupation_list_free(struct ksp_occupation *list)
{
	free(list);
}

const char *ksp_occupation_title(const struct ksp_occupation *o, const char *lang)
{
	if (lang && !strcmp(lang, "kk") && o->title_kk[0])
		return o->title_kk;
	if (lang && !strcmp(lang, "ru") && o->title_ru[0])
		return o->title_ru;
	return o->title_en;
}

const char *ksp_occupation_title_source(const struct ksp_occupation *o, const char *lang)
{
	const char *t = ksp_occupation_title(o, lang);

	return t == o->title_kk ? o->title_kk_source
	       : t == o->title_ru ? o->title_ru_source : o->title_en_source;
}

/* ---- facts ------------------------------------------------------------------- */

/*
 * A fact's indicator is composed here, not in SQL, so that it reads in the
 * caller's language: each query selects year, value, unit, source, kind
 * and then the raw parts of the label (codes, titles), and a label function
 * makes the words from catalogue keys.  The same function with lang NULL
 * gives the English key, which stays the same in every language.
 */
typedef void (*label_fn)(const char *lang, struct ksp_stmt *st, char *out, size_t size);

struct facts {
	struct ksp_fact *v;
	size_t n, cap;
};

/* Copy src into dst (size bytes), cut at a UTF-8 character boundary. */
static void copy_utf8(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size) {
		len = size - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static struct ksp_fact *fact_add(struct facts *f, const char *topic, const char *indicator,
				 const char *key, int year, double value, const char *unit,
				 const char *source, const char *kind)
{
	struct ksp_fact *x;

	KSP_ALLOC_GROW(f->v, f->n + 1, f->cap);
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	COPY(x->topic, topic);
	copy_utf8(x->indicator, sizeof(x->indicator), indicator);
	copy_utf8(x->key, sizeof(x->key), key);
	x->year = year;
	x->value = value;
	COPY(x->unit, unit);
	COPY(x->source, source);
	COPY(x->kind, kind);
	return x;
}

/* Column i of the row as text, "" for NULL. */
static const char *col(struct ksp_stmt *st, int i)
{
	const char *t = ksp_stmt_column_text(st, i);

	return t ? t : "";
}

/*
 * Run sql (bound to the NULL-terminated text parameters) whose columns are
 * year, value, unit, source, kind and from column 5 the parts label reads;
 * add one fact per row, its indicator in lang and its key in English.
 */
static int facts_query(struct ksp_store *s, struct facts *f, const char *lang,
		       const char *topic, label_fn label, const char *sql,
		       struct ksp_error *err, ...)
{
	struct ksp_stmt *st;
	va_list ap;
	const char *arg;
	int rc, idx = 1;

	rc = ksp_stmt_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	va_start(ap, err);
	while ((arg = va_arg(ap, const char *)) != NULL)
		ksp_stmt_bind_text(st, idx++, arg, -1);
	va_end(ap);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		char ind[sizeof(f->v->indicator)], key[sizeof(f->v->key)];

		label(lang, st, ind, sizeof(ind));
		label(NULL, st, key, sizeof(key));
		fact_add(f, topic, ind, key, (int)ksp_stmt_column_int64(st, 0),
			 ksp_stmt_column_double(st, 1), col(st, 2), col(st, 3), col(st, 4));
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

#define END (const char *)NULL

/* The words of the data's codes (labour_force.indicator, vital_event.event). */
static const char *indicator_word(const char *lang, const char *code)
{
	static const struct {
		const char *code, *word;
	} words[] = {
		{ "labour_force", KSP_NC_("data", "labour force") },
		{ "employed", KSP_NC_("indicator", "employed") },
		{ "unemployed", KSP_NC_("indicator", "unemployed") },
		{ "unemployment_rate", KSP_NC_("indicator", "unemployment rate") },
		{ "participation_rate", KSP_NC_("indicator", "participation rate") },
		{ "births", KSP_NC_("indicator", "births") },
		{ "deaths", KSP_NC_("indicator", "deaths") },
		{ "natural_increase", KSP_NC_("indicator", "natural increase") },
		{ "net_migration", KSP_NC_("indicator", "net migration") },
		{ "internal_net_migration", KSP_NC_("indicator", "internal net migration") },
		{ "external_net_migration", KSP_NC_("indicator", "external net migration") },
		{ "arrivals", KSP_NC_("indicator", "arrivals") },
		{ "departures", KSP_NC_("indicator", "departures") },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(code, words[i].code))
			return i == 0 ? ksp_trc(lang, "data", words[i].word)
				      : ksp_trc(lang, "indicator", words[i].word);
	return code; /* the tables' enums admit no other code */
}

/* The title in lang of a row's (title_en, title_ru, title_kk) at column i. */
static const char *title_in(const char *lang, struct ksp_stmt *st, int i)
{
	const char *t = NULL;

	if (lang && !strcmp(lang, "ru"))
		t = col(st, i + 1);
	else if (lang && !strcmp(lang, "kk"))
		t = col(st, i + 2);
	return t && *t ? t : col(st, i);
}

/* Labels compose a catalogue format with the row's parts, never English glue. */

/* 5: measure */
static void label_population(const char *lang, struct ksp_stmt *st, char *out, size_t size)
{
	snprintf(out, size, "%s",
		 !strcmp(col(st, 5), "average") ? ksp_tr(lang, "average annual population")
						: ksp_tr(lang, "population on 1 January"));
}

/* 5: age group, 6: sex (male or female) */
static void label_age_group(const char *lang, struct ksp_stmt *st, char *out, size_t size)
{
	if (!strcmp(col(st, 6), "female"))
		snprintf(out, size, ksp_tr(lang, KSP_FMT_("aged %s (female)")), col(st, 5));
	else
		snprintf(out, size, ksp_tr(lang, KSP_FMT_("aged %s (male)")), col(st, 5));
}

/* 5: indicator, 6: sex, 7: age */
static void label_labour_force(const char *lang, struct ksp_stmt *st, char *out, size_t size)
{
	const char *w = indicator_word(lang, col(st, 5)), *sex = col(st, 6), *age = col(st, 7);

	if (!strcmp(sex, "female"))
		snprintf(out, size, ksp_tr(lang, KSP_FMT_("%s (female), aged %s")), w, age);
	else if (!strcmp(sex, "male"))
		snprintf(out, size, ksp_tr(lang, KSP_FMT_("%s (male), aged %s")), w, age);
	else
		snprintf(out, size, ksp_tr(lang, KSP_FMT_("%s, aged %s")), w, age);
}

/* 5: industry code, 6..8: its titles */
static void label_employment(const char *lang, struct ksp_stmt *st, char *out, size_t size)
{
	snprintf(out, size, ksp_tr(lang, KSP_FMT_("employed in %s %s")), col(st, 5), title_in(lang, st, 6));
}

/* 5: event */
static void label_event(const char *lang, struct ksp_stmt *st, char *out, size_t size)
{
	snprintf(out, size, "%s", indicator_word(lang, col(st, 5)));
}

/* 5: category */
static void label_quota(const char *lang, struct ksp_stmt *st, char *out, size_t size)
{
	const char *c = col(st, 5);

	if (!strcmp(c, "kandas"))
		snprintf(out, size, "%s", ksp_tr(lang, "resettlement quota: kandas"));
	else if (!strcmp(c, "settlers"))
		snprintf(out, size, "%s", ksp_tr(lang, "resettlement quota: settlers"));
	else
		snprintf(out, size, "%s", c); /* the table's enum admits no other */
}

/* 5: a source kind */
static void label_kind_rows(const char *lang, struct ksp_stmt *st, char *out, size_t size)
{
	static const char *const words[][2] = {
		{ "official", KSP_N_("figures from official sources") },
		{ "derived", KSP_N_("figures from derived sources") },
		{ "estimate", KSP_N_("figures from estimate sources") },
		{ "assumption", KSP_N_("figures from assumption sources") },
		{ "user", KSP_N_("figures from user sources") },
	};
	const char *k = col(st, 5);

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(k, words[i][0])) {
			snprintf(out, size, "%s", ksp_tr(lang, words[i][1]));
			return;
		}
	snprintf(out, size, "%s", k); /* the table's enum admits no other */
}

/* 5: 'country' or 'regions' */
static void label_population_total(const char *lang, struct ksp_stmt *st, char *out,
				   size_t size)
{
	snprintf(out, size, "%s",
		 !strcmp(col(st, 5), "country")
			 ? ksp_tr(lang, "average annual population, Kazakhstan")
			 : ksp_tr(lang, "average annual population, sum of the regions"));
}

/* 5: indicator, 6: 'country' or 'regions' */
static void label_labour_total(const char *lang, struct ksp_stmt *st, char *out, size_t size)
{
	const char *w = indicator_word(lang, col(st, 5));

	if (!strcmp(col(st, 6), "country"))
		snprintf(out, size, ksp_tr(lang, KSP_FMT_("%s, Kazakhstan")), w);
	else
		snprintf(out, size, ksp_tr(lang, KSP_FMT_("%s, sum of the regions")), w);
}

/* 5: the source kind */
static void label_employment_total(const char *lang, struct ksp_stmt *st, char *out,
				   size_t size)
{
	const char *k = col(st, 5);

	snprintf(out, size, ksp_tr(lang, KSP_FMT_("employed, all industries (%s)")), ksp_trc(lang, "data", k));
}

int ksp_region_facts(struct ksp_store *s, const char *kato, const char *lang,
		     struct ksp_fact **out, size_t *n, struct ksp_error *err)
{
	struct facts f = { 0 };
	int rc;

	*out = NULL;
	*n = 0;
	rc = facts_query(s, &f, lang, "population", label_population,
			 "SELECT p.year, p.value, p.unit, p.source_id, s.kind, p.measure"
			 " FROM population p JOIN source s ON s.id = p.source_id"
			 " WHERE p.region = ? AND p.sex = 'total' AND p.age = 'total'"
			 " ORDER BY p.measure, p.year",
			 err, kato, END);
	/* Broad age groups summed from single years of age, where the data set has them. */
	if (!rc)
		rc = facts_query(s, &f, lang, "population", label_age_group,
				 "SELECT p.year, sum(p.value), min(p.unit), min(p.source_id),"
				 " min(s.kind), CASE WHEN CAST(replace(p.age, '+', '') AS INTEGER) < 15"
				 " THEN '0-14' WHEN CAST(replace(p.age, '+', '') AS INTEGER) < 65"
				 " THEN '15-64' ELSE '65+' END AS grp, p.sex"
				 " FROM population p JOIN source s ON s.id = p.source_id"
				 " WHERE p.region = ? AND p.sex <> 'total' AND p.age <> 'total'"
				 " AND p.age NOT LIKE '%-%' AND p.measure = 'average'"
				 " GROUP BY grp, p.sex, p.year ORDER BY p.year, grp, p.sex",
				 err, kato, END);
	if (!rc)
		rc = facts_query(s, &f, lang, "labour force", label_labour_force,
				 "SELECT l.year, l.value, l.unit, l.source_id, s.kind, l.indicator,"
				 " l.sex, l.age FROM labour_force l"
				 " JOIN source s ON s.id = l.source_id WHERE l.region = ?"
				 " ORDER BY l.sex <> 'total', l.indicator, l.sex, l.age, l.year",
				 err, kato, END);
	if (!rc)
		rc = facts_query(s, &f, lang, "employment", label_employment,
				 "SELECT e.year, e.value, e.unit, e.source_id, s.kind, e.industry,"
				 " i.title_en, i.title_ru, i.title_kk FROM employment e"
				 " JOIN industry i ON i.code = e.industry JOIN source s ON s.id = e.source_id"
				 " WHERE e.region = ? ORDER BY s.kind <> 'official', e.industry <> 'TOTAL',"
				 " i.level > 1, e.industry, e.year",
				 err, kato, END);
	if (!rc)
		rc = facts_query(s, &f, lang, "vital events", label_event,
				 "SELECT v.year, v.value, v.unit, v.source_id, s.kind, v.event"
				 " FROM vital_event v JOIN source s ON s.id = v.source_id"
				 " WHERE v.region = ? ORDER BY v.event, v.year",
				 err, kato, END);
	if (!rc)
		rc = facts_query(s, &f, lang, "resettlement", label_quota,
				 "SELECT q.year, q.value, q.unit, q.source_id, s.kind, q.category"
				 " FROM resettlement_quota q"
				 " JOIN source s ON s.id = q.source_id WHERE q.region = ?"
				 " ORDER BY q.category, q.year",
				 err, kato, END);
	if (rc) {
		free(f.v);
		return rc;
	}
	*out = f.v;
	*n = f.n;
	return KSP_OK;
}

int ksp_dataset_summary(struct ksp_store *s, const char *lang, struct ksp_fact **out,
			size_t *n, struct ksp_error *err)
{
	static const struct {
		const char *table, *what;
	} counts[] = {
		{ "region", KSP_N_("regions (with the country)") },
		{ "occupation", KSP_N_("occupation groups") },
		{ "industry", KSP_N_("industries (sections, divisions, aggregates)") },
		{ "population", KSP_N_("population figures") },
		{ "labour_force", KSP_N_("labour-force figures") },
		{ "employment", KSP_N_("employment figures") },
		{ "vital_event", KSP_N_("births, deaths and migration figures") },
		{ "resettlement_quota", KSP_N_("resettlement quota figures") },
		{ "source", KSP_N_("sources") },
	};
	struct facts f = { 0 };
	int rc = KSP_OK;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; !rc && i < sizeof(counts) / sizeof(counts[0]); i++) {
		/* Table names come from the constant list above, never from input. */
		char *sql = ksp_xasprintf("SELECT count(*) FROM %s", counts[i].table);
		long long c = 0;

		rc = ksp_store_query_int(s, sql, &c, err, END);
		free(sql);
		if (rc < 0)
			break;
		rc = KSP_OK;
		fact_add(&f, "data set", ksp_tr(lang, counts[i].what), counts[i].what, 0, (double)c,
			 "rows", "computed", "computed");
	}
	if (!rc)
		rc = facts_query(s, &f, lang, "data set", label_kind_rows,
				 "SELECT 0, count(*), 'rows', 'computed', 'computed', kind FROM ("
				 " SELECT source_id FROM population UNION ALL SELECT source_id FROM"
				 " labour_force UNION ALL SELECT source_id FROM employment UNION ALL"
				 " SELECT source_id FROM vital_event UNION ALL SELECT source_id FROM"
				 " resettlement_quota) x JOIN source ON source.id = x.source_id"
				 " GROUP BY kind ORDER BY kind",
				 err, END);
	if (!rc)
		rc = facts_query(s, &f, lang, "population", label_population_total,
				 "SELECT p.year, p.value, p.unit, p.source_id, s.kind, 'country'"
				 " FROM population p JOIN source s ON s.id = p.source_id"
				 " JOIN region r ON r.kato = p.region WHERE r.type = 'country'"
				 " AND p.measure = 'average' AND p.sex = 'total' AND p.age = 'total'"
				 " ORDER BY p.year",
				 err, END);
	if (!rc)
		rc = facts_query(s, &f, lang, "population", label_population_total,
				 "SELECT p.year, sum(p.value), min(p.unit), 'computed', 'computed',"
				 " 'regions' FROM population p"
				 " JOIN region r ON r.kato = p.region WHERE r.type <> 'country'"
				 " AND p.measure = 'average' AND p.sex = 'total' AND p.age = 'total'"
				 " GROUP BY p.year ORDER BY p.year",
				 err, END);
	if (!rc)
		rc = facts_query(s, &f, lang, "labour force", label_labour_total,
				 "SELECT l.year, l.value, l.unit, l.source_id, s.kind, l.indicator,"
				 " 'country' FROM labour_force l"
				 " JOIN source s ON s.id = l.source_id JOIN region r ON r.kato = l.region"
				 " WHERE r.type = 'country' AND l.sex = 'total' AND l.age = '15+'"
				 " AND l.indicator IN ('labour_force', 'employed', 'unemployment_rate')"
				 " ORDER BY l.indicator, l.year",
				 err, END);
	if (!rc)
		rc = facts_query(s, &f, lang, "labour force", label_labour_total,
				 "SELECT l.year, sum(l.value), min(l.unit), 'computed', 'computed',"
				 " l.indicator, 'regions' FROM labour_force l"
				 " JOIN region r ON r.kato = l.region WHERE r.type <> 'country'"
				 " AND l.sex = 'total' AND l.age = '15+'"
				 " AND l.indicator IN ('labour_force', 'employed')"
				 " GROUP BY l.indicator, l.year ORDER BY l.indicator, l.year",
				 err, END);
	if (!rc)
		rc = facts_query(s, &f, lang, "employment", label_employment_total,
				 "SELECT e.year, sum(e.value), min(e.unit), min(e.source_id), s.kind,"
				 " s.kind FROM employment e"
				 " JOIN source s ON s.id = e.source_id JOIN industry i ON i.code = e.industry"
				 " JOIN region r ON r.kato = e.region"
				 " WHERE r.type = 'country' AND i.level = 1 GROUP BY s.kind, e.year"
				 " ORDER BY s.kind, e.year",
				 err, END);
	if (rc) {
		free(f.v);
		return rc;
	}
	*out = f.v;
	*n = f.n;
	return KSP_OK;
}

void ksp_fact_list_free(struct ksp_fact *list)
{
	free(list);
}
