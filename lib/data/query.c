/*
 * query.c - reference data and statistics read back for people (kasip/query.h).
 */
#include <stdlib.h>
#include <string.h>

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

struct facts {
	struct ksp_fact *v;
	size_t n, cap;
};

static struct ksp_fact *fact_add(struct facts *f, const char *topic, const char *indicator,
				 int year, double value, const char *unit, const char *source,
				 const char *kind)
{
	struct ksp_fact *x;

	KSP_ALLOC_GROW(f->v, f->n + 1, f->cap);
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	COPY(x->topic, topic);
	COPY(x->indicator, indicator);
	x->year = year;
	x->value = value;
	COPY(x->unit, unit);
	COPY(x->source, source);
	COPY(x->kind, kind);
	return x;
}

/*
 * Run sql (bound to the NULL-terminated text parameters) whose columns are
 * indicator, year, value, unit, source, kind; add one fact per row.
 */
static int facts_query(struct ksp_store *s, struct facts *f, const char *topic, const char *sql,
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
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW)
		fact_add(f, topic, ksp_stmt_column_text(st, 0), (int)ksp_stmt_column_int64(st, 1),
			 ksp_stmt_column_double(st, 2), ksp_stmt_column_text(st, 3),
			 ksp_stmt_column_text(st, 4), ksp_stmt_column_text(st, 5));
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

#define END (const char *)NULL

int ksp_region_facts(struct ksp_store *s, const char *kato, struct ksp_fact **out, size_t *n,
		     struct ksp_error *err)
{
	struct facts f = { 0 };
	int rc;

	*out = NULL;
	*n = 0;
	rc = facts_query(s, &f, "population",
			 "SELECT CASE p.measure WHEN 'average' THEN 'average annual population'"
			 " ELSE 'population on 1 January' END, p.year, p.value, p.unit, p.source_id,"
			 " s.kind FROM population p JOIN source s ON s.id = p.source_id"
			 " WHERE p.region = ? AND p.sex = 'total' AND p.age = 'total'"
			 " ORDER BY p.measure, p.year",
			 err, kato, END);
	/* Broad age groups summed from single years of age, where the data set has them. */
	if (!rc)
		rc = facts_query(s, &f, "population",
				 "SELECT 'aged ' || CASE WHEN CAST(replace(p.age, '+', '') AS INTEGER) < 15"
				 " THEN '0-14' WHEN CAST(replace(p.age, '+', '') AS INTEGER) < 65"
				 " THEN '15-64' ELSE '65+' END || ' (' || p.sex || ')',"
				 " p.year, sum(p.value), min(p.unit), min(p.source_id), min(s.kind)"
				 " FROM population p JOIN source s ON s.id = p.source_id"
				 " WHERE p.region = ? AND p.sex <> 'total' AND p.age <> 'total'"
				 " AND p.age NOT LIKE '%-%' AND p.measure = 'average'"
				 " GROUP BY 1, p.year ORDER BY p.year, 1",
				 err, kato, END);
	if (!rc)
		rc = facts_query(s, &f, "labour force",
				 "SELECT replace(l.indicator, '_', ' ') || CASE WHEN l.sex <> 'total'"
				 " THEN ' (' || l.sex || ')' ELSE '' END || ', aged ' || l.age,"
				 " l.year, l.value, l.unit, l.source_id, s.kind FROM labour_force l"
				 " JOIN source s ON s.id = l.source_id WHERE l.region = ?"
				 " ORDER BY l.sex <> 'total', l.indicator, l.sex, l.age, l.year",
				 err, kato, END);
	if (!rc)
		rc = facts_query(s, &f, "employment",
				 "SELECT 'employed in ' || e.industry || ' ' || i.title_en, e.year,"
				 " e.value, e.unit, e.source_id, s.kind FROM employment e"
				 " JOIN industry i ON i.code = e.industry JOIN source s ON s.id = e.source_id"
				 " WHERE e.region = ? ORDER BY s.kind <> 'official', e.industry <> 'TOTAL',"
				 " i.level > 1, e.industry, e.year",
				 err, kato, END);
	if (!rc)
		rc = facts_query(s, &f, "vital events",
				 "SELECT replace(v.event, '_', ' '), v.year, v.value, v.unit, v.source_id,"
				 " s.kind FROM vital_event v JOIN source s ON s.id = v.source_id"
				 " WHERE v.region = ? ORDER BY v.event, v.year",
				 err, kato, END);
	if (!rc)
		rc = facts_query(s, &f, "resettlement",
				 "SELECT 'resettlement quota: ' || q.category, q.year, q.value, q.unit,"
				 " q.source_id, s.kind FROM resettlement_quota q"
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

int ksp_dataset_summary(struct ksp_store *s, struct ksp_fact **out, size_t *n,
			struct ksp_error *err)
{
	static const struct {
		const char *table, *what;
	} counts[] = {
		{ "region", "regions (with the country)" },
		{ "occupation", "occupation groups" },
		{ "industry", "industries (sections, divisions, aggregates)" },
		{ "population", "population figures" },
		{ "labour_force", "labour-force figures" },
		{ "employment", "employment figures" },
		{ "vital_event", "births, deaths and migration figures" },
		{ "resettlement_quota", "resettlement quota figures" },
		{ "source", "sources" },
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
		fact_add(&f, "data set", counts[i].what, 0, (double)c, "rows", "computed", "computed");
	}
	if (!rc)
		rc = facts_query(s, &f, "data set",
				 "SELECT 'figures from ' || kind || ' sources', 0, count(*), 'rows',"
				 " 'computed', 'computed' FROM ("
				 " SELECT source_id FROM population UNION ALL SELECT source_id FROM"
				 " labour_force UNION ALL SELECT source_id FROM employment UNION ALL"
				 " SELECT source_id FROM vital_event UNION ALL SELECT source_id FROM"
				 " resettlement_quota) x JOIN source ON source.id = x.source_id"
				 " GROUP BY kind ORDER BY kind",
				 err, END);
	if (!rc)
		rc = facts_query(s, &f, "population",
				 "SELECT 'average annual population, Kazakhstan', p.year, p.value, p.unit,"
				 " p.source_id, s.kind FROM population p JOIN source s ON s.id = p.source_id"
				 " JOIN region r ON r.kato = p.region WHERE r.type = 'country'"
				 " AND p.measure = 'average' AND p.sex = 'total' AND p.age = 'total'"
				 " ORDER BY p.year",
				 err, END);
	if (!rc)
		rc = facts_query(s, &f, "population",
				 "SELECT 'average annual population, sum of the regions', p.year,"
				 " sum(p.value), min(p.unit), 'computed', 'computed' FROM population p"
				 " JOIN region r ON r.kato = p.region WHERE r.type <> 'country'"
				 " AND p.measure = 'average' AND p.sex = 'total' AND p.age = 'total'"
				 " GROUP BY p.year ORDER BY p.year",
				 err, END);
	if (!rc)
		rc = facts_query(s, &f, "labour force",
				 "SELECT replace(l.indicator, '_', ' ') || ', Kazakhstan', l.year, l.value,"
				 " l.unit, l.source_id, s.kind FROM labour_force l"
				 " JOIN source s ON s.id = l.source_id JOIN region r ON r.kato = l.region"
				 " WHERE r.type = 'country' AND l.sex = 'total' AND l.age = '15+'"
				 " AND l.indicator IN ('labour_force', 'employed', 'unemployment_rate')"
				 " ORDER BY l.indicator, l.year",
				 err, END);
	if (!rc)
		rc = facts_query(s, &f, "labour force",
				 "SELECT replace(l.indicator, '_', ' ') || ', sum of the regions', l.year,"
				 " sum(l.value), min(l.unit), 'computed', 'computed' FROM labour_force l"
				 " JOIN region r ON r.kato = l.region WHERE r.type <> 'country'"
				 " AND l.sex = 'total' AND l.age = '15+'"
				 " AND l.indicator IN ('labour_force', 'employed')"
				 " GROUP BY l.indicator, l.year ORDER BY l.indicator, l.year",
				 err, END);
	if (!rc)
		rc = facts_query(s, &f, "employment",
				 "SELECT 'employed, all industries (' || s.kind || ')', e.year, sum(e.value),"
				 " min(e.unit), min(e.source_id), s.kind FROM employment e"
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
