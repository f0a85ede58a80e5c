/*
 * scenario.c - scenarios: named parameter sets in the store, seeded from the
 * shipped files data/kz/forecast/scenarios/NAME.csv (docs/forecast.md).
 */
#include <dirent.h>
#include <math.h>
#include <string.h>

#include "forecast/load.h"
#include "kasip/csv.h"
#include "kasip/forecast.h"
#include "kasip/i18n.h"
#include "store/store.h"
#include "util/xmalloc.h"

#define MAX_SCENARIO_FILES 64

static void now_iso(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int name_ok(const char *n)
{
	size_t len = strlen(n);

	if (len < 1 || len > 63)
		return 0;
	for (const char *p = n; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' ||
		      *p == '-'))
			return 0;
	return 1;
}

static int insert_param(struct ksp_stmt *st, const char *scenario, const char *name, double value,
			const char *dist, double spread, const char *unit, const char *note,
			struct ksp_error *err)
{
	int rc;

	ksp_stmt_reset(st);
	ksp_stmt_bind_text(st, 1, scenario, -1);
	ksp_stmt_bind_text(st, 2, name, -1);
	ksp_stmt_bind_double(st, 3, value);
	ksp_stmt_bind_text(st, 4, dist, -1);
	ksp_stmt_bind_double(st, 5, spread);
	ksp_stmt_bind_text(st, 6, unit ? unit : "", -1);
	ksp_stmt_bind_text(st, 7, note ? note : "", -1);
	rc = ksp_stmt_step(st, err);
	return rc == KSP_DONE ? KSP_OK : rc;
}

static const char sql_upsert_param[] =
	"INSERT INTO scenario_param (scenario, name, value, dist, spread, unit, note) "
	"VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scenario, name) DO UPDATE SET "
	"value = excluded.value, dist = excluded.dist, spread = excluded.spread, "
	"unit = excluded.unit, note = excluded.note";

/*
 * Read a scenario file's rows into the store as parameters of scenario
 * (the caller's transaction).  *title gets the "title" row's note.
 */
static int load_scenario_file(struct ksp_store *s, const char *path, const char *label,
			      const char *scenario, char *title, size_t title_size,
			      struct ksp_error *err)
{
	struct ksp_csv *csv = NULL;
	struct ksp_csv_row row;
	struct ksp_stmt *st = NULL;
	int rc, col[6] = { -1, -1, -1, -1, -1, -1 };
	static const char *const names[6] = { "name", "value", "dist", "spread", "unit", "note" };

	rc = ksp_csv_open_file(&csv, path, label, NULL, err);
	if (rc)
		return rc;
	rc = ksp_csv_next(csv, &row, err);
	if (rc == KSP_DONE)
		rc = ksp_error_at(err, KSP_EINVAL, label, 1, 0, NULL, "no header line");
	if (rc)
		goto out;
	for (size_t c = 0; c < row.nfields; c++)
		for (int k = 0; k < 6; k++)
			if (!strcmp(row.fields[c], names[k]))
				col[k] = (int)c;
	for (int k = 0; k < 4; k++)
		if (col[k] < 0) {
			rc = ksp_error_at(err, KSP_EINVAL, label, row.line, 0, names[k],
					  "the header has no column \"%s\"", names[k]);
			goto out;
		}
	rc = ksp_stmt_prepare(s, sql_upsert_param, &st, err);
	if (rc)
		goto out;
	while ((rc = ksp_csv_next(csv, &row, err)) == KSP_OK) {
		const char *name, *dist;
		double v, spread;

		if (row.nfields <= (size_t)col[0] || row.nfields <= (size_t)col[1] ||
		    row.nfields <= (size_t)col[2] || row.nfields <= (size_t)col[3]) {
			rc = ksp_error_at(err, KSP_EINVAL, label, row.line, 0, NULL, "too few fields");
			break;
		}
		name = row.fields[col[0]];
		dist = row.fields[col[2]];
		if (!strcmp(name, "title")) {
			if (title && col[5] >= 0 && row.nfields > (size_t)col[5])
				snprintf(title, title_size, "%s", row.fields[col[5]]);
			continue;
		}
		if (!ksp_fc_param_known(name)) {
			rc = ksp_error_at(err, KSP_EINVAL, label, row.line, col[0] + 1, "name",
					  "unknown parameter \"%s\"", name);
			break;
		}
		if (ksp_parse_double(row.fields[col[1]], &v) || !isfinite(v)) {
			rc = ksp_error_at(err, KSP_EINVAL, label, row.line, col[1] + 1, "value",
					  "expected a number, got \"%s\"", row.fields[col[1]]);
			break;
		}
		if (ksp_fc_dist_parse(dist) < 0) {
			rc = ksp_error_at(err, KSP_EINVAL, label, row.line, col[2] + 1, "dist",
					  "expected fixed, normal, lognormal or uniform, got \"%s\"", dist);
			break;
		}
		if (ksp_parse_double(row.fields[col[3]], &spread) || !(spread >= 0)) {
			rc = ksp_error_at(err, KSP_EINVAL, label, row.line, col[3] + 1, "spread",
					  "expected a number >= 0, got \"%s\"", row.fields[col[3]]);
			break;
		}
		rc = insert_param(st, scenario, name, v, dist, spread,
				  col[4] >= 0 && row.nfields > (size_t)col[4] ? row.fields[col[4]] : "",
				  col[5] >= 0 && row.nfields > (size_t)col[5] ? row.fields[col[5]] : "",
				  err);
		if (rc)
			break;
	}
	if (rc == KSP_DONE)
		rc = KSP_OK;
out:
	ksp_stmt_finalize(st);
	ksp_csv_free(csv);
	return rc;
}

static int scenario_exists(struct ksp_store *s, const char *name, int *exists,
			   struct ksp_error *err)
{
	long long n = 0;
	int rc = ksp_store_query_int(s, "SELECT count(*) FROM scenario WHERE name = ?", &n, err,
				     name, (const char *)NULL);

	*exists = n > 0;
	return rc < 0 ? rc : KSP_OK;
}

static int insert_scenario(struct ksp_store *s, const char *name, const char *title,
			   const char *origin, const char *based_on, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	char when[32];
	int rc = ksp_stmt_prepare(s, "INSERT INTO scenario (name, title, origin, based_on, created) "
				     "VALUES (?, ?, ?, ?, ?)", &st, err);

	if (rc)
		return rc;
	now_iso(when, sizeof(when));
	ksp_stmt_bind_text(st, 1, name, -1);
	ksp_stmt_bind_text(st, 2, title, -1);
	ksp_stmt_bind_text(st, 3, origin, -1);
	ksp_stmt_bind_text(st, 4, based_on ? based_on : "", -1);
	ksp_stmt_bind_text(st, 5, when, -1);
	rc = ksp_stmt_step(st, err);
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int ksp_scenario_seed(struct ksp_store *s, const char *data_dir, struct ksp_error *err)
{
	char dir[4096], path[4200], *names[MAX_SCENARIO_FILES];
	int nnames = 0, rc = KSP_OK, in_tx = 0;
	DIR *dp;
	struct dirent *de;

	snprintf(dir, sizeof(dir), "%s/forecast/scenarios", data_dir);
	dp = opendir(dir);
	if (!dp)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "no scenario directory \"%s\": is the data set directory right?",
				     dir);
	while ((de = readdir(dp)) != NULL && nnames < MAX_SCENARIO_FILES) {
		size_t len = strlen(de->d_name);

		if (len > 4 && !strcmp(de->d_name + len - 4, ".csv"))
			names[nnames++] = ksp_xstrndup(de->d_name, len - 4);
	}
	closedir(dp);
	qsort(names, (size_t)nnames, sizeof(names[0]), cmp_str);
	for (int i = 0; i < nnames && !rc; i++) {
		int exists = 0;
		char title[256] = "", label[128];

		if (!name_ok(names[i]))
			continue;
		rc = scenario_exists(s, names[i], &exists, err);
		if (rc || exists)
			continue;
		if (!in_tx && !ksp_store_in_transaction(s)) {
			rc = ksp_store_begin(s, err);
			if (rc)
				break;
			in_tx = 1;
		}
		snprintf(path, sizeof(path), "%s/%s.csv", dir, names[i]);
		snprintf(label, sizeof(label), "forecast/scenarios/%s.csv", names[i]);
		rc = insert_scenario(s, names[i], "", "shipped", "", err);
		if (!rc)
			rc = load_scenario_file(s, path, label, names[i], title, sizeof(title), err);
		if (!rc && *title) {
			struct ksp_stmt *st = NULL;

			rc = ksp_stmt_prepare(s, "UPDATE scenario SET title = ? WHERE name = ?", &st, err);
			if (!rc) {
				ksp_stmt_bind_text(st, 1, title, -1);
				ksp_stmt_bind_text(st, 2, names[i], -1);
				rc = ksp_stmt_step(st, err) == KSP_DONE ? KSP_OK : KSP_EDB;
				ksp_stmt_finalize(st);
			}
		}
	}
	for (int i = 0; i < nnames; i++)
		free(names[i]);
	if (in_tx) {
		if (rc)
			ksp_store_rollback(s);
		else
			rc = ksp_store_commit(s, err);
	}
	return rc;
}

int ksp_scenario_list(struct ksp_store *s, struct ksp_scenario **out, size_t *n,
		      struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = ksp_stmt_prepare(s, "SELECT s.name, s.title, s.origin, s.based_on, s.created, "
				 "(SELECT count(*) FROM scenario_param p WHERE p.scenario = s.name) "
				 "FROM scenario s ORDER BY s.name", &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_scenario *sc;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		sc = &(*out)[(*n)++];
		memset(sc, 0, sizeof(*sc));
		snprintf(sc->name, sizeof(sc->name), "%s", ksp_stmt_column_text(st, 0));
		snprintf(sc->title, sizeof(sc->title), "%s", ksp_stmt_column_text(st, 1));
		snprintf(sc->origin, sizeof(sc->origin), "%s", ksp_stmt_column_text(st, 2));
		snprintf(sc->based_on, sizeof(sc->based_on), "%s", ksp_stmt_column_text(st, 3));
		snprintf(sc->created, sizeof(sc->created), "%s", ksp_stmt_column_text(st, 4));
		sc->nparams = (int)ksp_stmt_column_int64(st, 5);
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

int ksp_scenario_get(struct ksp_store *s, const char *name, struct ksp_scenario *sc,
		     struct ksp_scenario_param **params, size_t *n, struct ksp_error *err)
{
	struct ksp_scenario *all = NULL;
	struct ksp_stmt *st = NULL;
	size_t na = 0, alloc = 0;
	int rc, found = 0;

	*params = NULL;
	*n = 0;
	rc = ksp_scenario_list(s, &all, &na, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < na; i++)
		if (!strcmp(all[i].name, name)) {
			*sc = all[i];
			found = 1;
		}
	free(all);
	if (!found)
		return ksp_error_set(err, KSP_ENOTFOUND, "no scenario \"%s\"; see 'kasip scenario list'",
				     name);
	rc = ksp_stmt_prepare(s, "SELECT name, value, dist, spread, unit, note FROM scenario_param "
				 "WHERE scenario = ? ORDER BY name", &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, name, -1);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_scenario_param *p;

		KSP_ALLOC_GROW(*params, *n + 1, alloc);
		p = &(*params)[(*n)++];
		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "%s", ksp_stmt_column_text(st, 0));
		p->value = ksp_stmt_column_double(st, 1);
		snprintf(p->dist, sizeof(p->dist), "%s", ksp_stmt_column_text(st, 2));
		p->spread = ksp_stmt_column_double(st, 3);
		snprintf(p->unit, sizeof(p->unit), "%s", ksp_stmt_column_text(st, 4));
		snprintf(p->note, sizeof(p->note), "%s", ksp_stmt_column_text(st, 5));
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*params);
	*params = NULL;
	*n = 0;
	return rc;
}

/* "NAME=VALUE" or "NAME=VALUE:DIST:SPREAD" into the upsert statement. */
static int apply_set(struct ksp_stmt *st, const char *scenario, const char *set,
		     struct ksp_error *err)
{
	char buf[256], *eq, *c1, *c2 = NULL;
	double v, spread = 0;
	const char *dist = "fixed";

	if (snprintf(buf, sizeof(buf), "%s", set) >= (int)sizeof(buf))
		return ksp_error_set(err, KSP_EINVAL, "--set \"%.40s...\": too long", set);
	eq = strchr(buf, '=');
	if (!eq)
		return ksp_error_set(err, KSP_EINVAL, "--set \"%s\": expected NAME=VALUE", set);
	*eq = 0;
	if (!ksp_fc_param_known(buf) || !strcmp(buf, "title"))
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "--set \"%s\": unknown parameter \"%s\"; see 'kasip scenario show "
				     "baseline'",
				     set, buf);
	c1 = strchr(eq + 1, ':');
	if (c1) {
		*c1 = 0;
		c2 = strchr(c1 + 1, ':');
		if (!c2)
			return ksp_error_set(err, KSP_EINVAL,
					     "--set \"%s\": expected NAME=VALUE:DIST:SPREAD", set);
		*c2 = 0;
		dist = c1 + 1;
		if (ksp_fc_dist_parse(dist) < 0)
			return ksp_error_set(err, KSP_EINVAL,
					     "--set \"%s\": distribution \"%s\" is not fixed, normal, "
					     "lognormal or uniform",
					     set, dist);
		if (ksp_parse_double(c2 + 1, &spread) || !(spread >= 0))
			return ksp_error_set(err, KSP_EINVAL, "--set \"%s\": bad spread \"%s\"", set,
					     c2 + 1);
	}
	if (ksp_parse_double(eq + 1, &v) || !isfinite(v))
		return ksp_error_set(err, KSP_EINVAL, "--set \"%s\": expected a number, got \"%s\"",
				     set, eq + 1);
	{
		int rc;

		ksp_stmt_reset(st);
		ksp_stmt_bind_text(st, 1, scenario, -1);
		ksp_stmt_bind_text(st, 2, buf, -1);
		ksp_stmt_bind_double(st, 3, v);
		ksp_stmt_bind_text(st, 4, c1 ? dist : "fixed", -1);
		ksp_stmt_bind_double(st, 5, spread);
		ksp_stmt_bind_text(st, 6, "", -1);
		ksp_stmt_bind_text(st, 7, "set by kasip scenario new", -1);
		rc = ksp_stmt_step(st, err);
		return rc == KSP_DONE ? KSP_OK : rc;
	}
}

/* Apply "NAME=VALUE[:DIST:SPREAD]" changes to scenario name (inside the caller's transaction). */
static int apply_sets(struct ksp_store *s, const char *name, const char *const *sets, size_t nsets,
		      const char *note, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL, *keep = NULL;
	int rc;

	/* NAME=VALUE keeps the copied distribution; NAME=VALUE:DIST:SPREAD replaces it */
	rc = ksp_stmt_prepare(s, sql_upsert_param, &st, err);
	if (!rc)
		rc = ksp_stmt_prepare(s, "UPDATE scenario_param SET value = ?, note = ? "
					 "WHERE scenario = ? AND name = ?", &keep, err);
	for (size_t i = 0; i < nsets && !rc; i++) {
		if (strchr(sets[i], ':')) {
			rc = apply_set(st, name, sets[i], err);
		} else {
			char pname[128];
			const char *eq = strchr(sets[i], '=');
			double v;

			if (!eq || (size_t)(eq - sets[i]) >= sizeof(pname)) {
				rc = ksp_error_set(err, KSP_EINVAL,
						   "--set \"%s\": expected NAME=VALUE", sets[i]);
				break;
			}
			memcpy(pname, sets[i], (size_t)(eq - sets[i]));
			pname[eq - sets[i]] = 0;
			if (!ksp_fc_param_known(pname) || !strcmp(pname, "title")) {
				rc = ksp_error_set(err, KSP_ENOTFOUND,
						   "--set \"%s\": unknown parameter \"%s\"; see "
						   "'kasip scenario show baseline'",
						   sets[i], pname);
				break;
			}
			if (ksp_parse_double(eq + 1, &v) || !isfinite(v)) {
				rc = ksp_error_set(err, KSP_EINVAL,
						   "--set \"%s\": expected a number, got \"%s\"",
						   sets[i], eq + 1);
				break;
			}
			ksp_stmt_reset(keep);
			ksp_stmt_bind_double(keep, 1, v);
			ksp_stmt_bind_text(keep, 2, note, -1);
			ksp_stmt_bind_text(keep, 3, name, -1);
			ksp_stmt_bind_text(keep, 4, pname, -1);
			rc = ksp_stmt_step(keep, err);
			rc = rc == KSP_DONE ? KSP_OK : rc;
			if (!rc && ksp_store_changes(s) == 0)
				rc = apply_set(st, name, sets[i], err);
		}
	}
	ksp_stmt_finalize(keep);
	ksp_stmt_finalize(st);
	return rc;
}

int ksp_scenario_new(struct ksp_store *s, const char *name, const char *from, const char *title,
		     const char *const *sets, size_t nsets, const char *file,
		     struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc, exists = 0;

	if (!from)
		from = "baseline";
	if (!name_ok(name))
		return ksp_error_set(err, KSP_EINVAL,
				     "scenario name \"%s\": use 1 to 63 of a-z, 0-9, '_' and '-'", name);
	if ((rc = scenario_exists(s, name, &exists, err)))
		return rc;
	if (exists)
		return ksp_error_set(err, KSP_ECONFLICT, "scenario \"%s\" exists already", name);
	if ((rc = scenario_exists(s, from, &exists, err)))
		return rc;
	if (!exists)
		return ksp_error_set(err, KSP_ENOTFOUND, "no scenario \"%s\" to copy", from);
	if ((rc = ksp_store_begin(s, err)))
		return rc;
	rc = insert_scenario(s, name, title ? title : "", "user", from, err);
	if (!rc)
		rc = ksp_stmt_prepare(s, "INSERT INTO scenario_param (scenario, name, value, dist, "
					 "spread, unit, note) SELECT ?, name, value, dist, spread, unit, "
					 "note FROM scenario_param WHERE scenario = ?", &st, err);
	if (!rc) {
		ksp_stmt_bind_text(st, 1, name, -1);
		ksp_stmt_bind_text(st, 2, from, -1);
		rc = ksp_stmt_step(st, err);
		rc = rc == KSP_DONE ? KSP_OK : rc;
		ksp_stmt_finalize(st);
		st = NULL;
	}
	if (!rc && file)
		rc = load_scenario_file(s, file, file, name, NULL, 0, err);
	if (!rc && nsets)
		rc = apply_sets(s, name, sets, nsets, "set by kasip scenario new", err);
	if (rc) {
		ksp_store_rollback(s);
		return rc;
	}
	return ksp_store_commit(s, err);
}

int ksp_scenario_update(struct ksp_store *s, const char *name, const char *title,
			const char *const *sets, size_t nsets, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	long long user = -1;
	int rc;

	rc = ksp_store_query_int(s, "SELECT count(*) FROM scenario WHERE name = ? AND origin = 'user'",
				 &user, err, name, (const char *)NULL);
	if (rc < 0)
		return rc;
	if (user <= 0) {
		int exists = 0;

		if ((rc = scenario_exists(s, name, &exists, err)))
			return rc;
		return exists ? ksp_error_set(err, KSP_ECONFLICT,
					      "scenario \"%s\" is shipped with kasip and cannot be "
					      "changed; make a copy with 'kasip scenario new'",
					      name)
			      : ksp_error_set(err, KSP_ENOTFOUND, "no scenario \"%s\"", name);
	}
	if ((rc = ksp_store_begin(s, err)))
		return rc;
	if (title) {
		rc = ksp_stmt_prepare(s, "UPDATE scenario SET title = ? WHERE name = ?", &st, err);
		if (!rc) {
			ksp_stmt_bind_text(st, 1, title, -1);
			ksp_stmt_bind_text(st, 2, name, -1);
			rc = ksp_stmt_step(st, err);
			rc = rc == KSP_DONE ? KSP_OK : rc;
			ksp_stmt_finalize(st);
		}
	}
	if (!rc && nsets)
		rc = apply_sets(s, name, sets, nsets, "set by a scenario update", err);
	if (rc) {
		ksp_store_rollback(s);
		return rc;
	}
	return ksp_store_commit(s, err);
}

/*
 * The titles of the shipped scenarios as data/kz/forecast/scenarios/NAME.csv
 * give them (row "title": its note up to the first comma, the CSV field), so
 * that the catalogue can translate them; tests/cli/i18n.test fails if a file
 * changes its title and this list does not follow.
 */
static const struct {
	const char *name, *title;
} shipped_titles[] = {
	{ "baseline", KSP_N_("central assumptions") },
	{ "high", KSP_N_("faster growth: every section +0.5 point a year") },
	{ "low", KSP_N_("slower growth: every section -0.5 point a year") },
};

const char *ksp_scenario_title(const struct ksp_scenario *sc, const char *lang)
{
	if (strcmp(sc->origin, "shipped"))
		return sc->title;
	for (size_t i = 0; i < sizeof(shipped_titles) / sizeof(shipped_titles[0]); i++)
		if (!strcmp(sc->name, shipped_titles[i].name) &&
		    !strcmp(sc->title, shipped_titles[i].title))
			return ksp_tr(lang, shipped_titles[i].title);
	return sc->title;
}
