/*
 * export.c - placement instances and runs out of kasip: the CSV files that
 * `kasip import` reads (ksp_match_write_csv) and a run as CSV, JSON or XLSX
 * (ksp_match_export).  Column names: docs/matching.md.
 */
#include <xlsxwriter.h>

#include "kasip/csv.h"
#include "kasip/match.h"

#include "match/internal.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define XLSX_MAX_ROWS 1048576 /* rows in one Excel sheet, header included */

/* Fields of one CSV row, NULL-terminated. */
static void csv_row(FILE *f, const char *const *v)
{
	for (int i = 0; v[i]; i++) {
		if (i)
			fputc(',', f);
		ksp_csv_write_field(f, v[i]);
	}
	fputc('\n', f);
}

static const char *id_or_empty(char **ids, int32_t i)
{
	return i >= 0 && ids && ids[i] ? ids[i] : "";
}

/* ---- the instance as import files ----------------------------------------- */

static FILE *open_in(const char *dir, const char *name, char *path, size_t size,
		     struct ksp_error *err)
{
	FILE *f;

	snprintf(path, size, "%s/%s", dir, name);
	if (!(f = fopen(path, "w")))
		ksp_error_set(err, KSP_EIO, "cannot write '%s': %s", path, strerror(errno));
	return f;
}

static int close_file(FILE *f, const char *path, struct ksp_error *err)
{
	int bad = ferror(f);

	if (fclose(f) || bad)
		return ksp_error_set(err, KSP_EIO, "writing '%s' failed", path);
	return KSP_OK;
}

static int has_ids(char **ids, int32_t n)
{
	if (!n)
		return 1;
	if (!ids)
		return 0;
	for (int32_t i = 0; i < n; i++)
		if (!ids[i])
			return 0;
	return 1;
}

int ksp_match_write_csv(const struct ksp_match_instance *in, const char *dir,
			struct ksp_error *err)
{
	char path[4096], num[32], rank[16];
	FILE *f;
	int rc;

	if (!has_ids(in->region_id, in->nregions) || !has_ids(in->college_id, in->ncolleges) ||
	    !has_ids(in->enterprise_id, in->nenterprises) || !has_ids(in->place_id, in->nplaces) ||
	    !has_ids(in->student_id, in->nstudents) ||
	    !has_ids(in->specialty_id, in->nspecialties))
		return ksp_error_set(err, KSP_EUSAGE, "every object needs an id to be written out");

	if (!(f = open_in(dir, "colleges.csv", path, sizeof(path), err)))
		return KSP_EIO;
	csv_row(f, (const char *[]){ "id", "name", "region", NULL });
	for (int32_t c = 0; c < in->ncolleges; c++)
		csv_row(f, (const char *[]){ in->college_id[c], "",
					     id_or_empty(in->region_id, in->college_region[c]),
					     NULL });
	if ((rc = close_file(f, path, err)))
		return rc;

	if (!(f = open_in(dir, "enterprises.csv", path, sizeof(path), err)))
		return KSP_EIO;
	csv_row(f, (const char *[]){ "id", "name", "region", NULL });
	for (int32_t e = 0; e < in->nenterprises; e++)
		csv_row(f, (const char *[]){ in->enterprise_id[e], "",
					     id_or_empty(in->region_id, in->enterprise_region[e]),
					     NULL });
	if ((rc = close_file(f, path, err)))
		return rc;

	if (!(f = open_in(dir, "places.csv", path, sizeof(path), err)))
		return KSP_EIO;
	/* the rule outright, so that a list naming nobody stays one when read back */
	csv_row(f, (const char *[]){ "id", "enterprise", "specialty", "capacity", "rule", NULL });
	for (int32_t p = 0; p < in->nplaces; p++) {
		static const char *const rules[] = { "score", "college", "list" };

		snprintf(num, sizeof(num), "%" PRId32, in->capacity[p]);
		csv_row(f, (const char *[]){ in->place_id[p],
					     id_or_empty(in->enterprise_id, in->place_enterprise[p]),
					     id_or_empty(in->specialty_id, in->place_specialty[p]), num,
					     rules[in->place_rule[p] <= KSP_RANK_LIST ? in->place_rule[p] : 0],
					     NULL });
	}
	if ((rc = close_file(f, path, err)))
		return rc;

	if (!(f = open_in(dir, "students.csv", path, sizeof(path), err)))
		return KSP_EIO;
	csv_row(f, (const char *[]){ "id", "college", "specialty", "score", "region", NULL });
	for (int32_t s = 0; s < in->nstudents; s++) {
		ksp_format_double(in->score[s], num, sizeof(num));
		csv_row(f, (const char *[]){ in->student_id[s],
					     id_or_empty(in->college_id, in->student_college[s]),
					     id_or_empty(in->specialty_id, in->student_specialty[s]), num,
					     id_or_empty(in->region_id, in->student_region[s]), NULL });
	}
	if ((rc = close_file(f, path, err)))
		return rc;

	if (!(f = open_in(dir, "choices.csv", path, sizeof(path), err)))
		return KSP_EIO;
	csv_row(f, (const char *[]){ "student", "rank", "place", NULL });
	for (int32_t s = 0; s < in->nstudents; s++)
		for (int32_t k = in->pref_start[s]; k < in->pref_start[s + 1]; k++) {
			snprintf(rank, sizeof(rank), "%" PRId32, k - in->pref_start[s] + 1);
			csv_row(f, (const char *[]){ in->student_id[s], rank,
						     in->place_id[in->pref[k]], NULL });
		}
	if ((rc = close_file(f, path, err)))
		return rc;

	/* Rankings are written per place (a generated instance has no other kind). */
	if (!(f = open_in(dir, "enterprise-rankings.csv", path, sizeof(path), err)))
		return KSP_EIO;
	csv_row(f, (const char *[]){ "enterprise", "place", "student", "college", "rank", NULL });
	for (int32_t i = 0; i < in->nranks; i++) {
		int32_t p = in->rank_place[i];
		int list = in->place_rule[p] == KSP_RANK_LIST;

		snprintf(rank, sizeof(rank), "%" PRId32, in->rank_value[i]);
		csv_row(f, (const char *[]){
				   id_or_empty(in->enterprise_id, in->place_enterprise[p]),
				   in->place_id[p], list ? in->student_id[in->rank_who[i]] : "",
				   list ? "" : in->college_id[in->rank_who[i]], rank, NULL });
	}
	return close_file(f, path, err);
}

/* ---- a run out ------------------------------------------------------------ */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Everything one row of the assignments says, as text. */
struct arow {
	const char *student, *college, *specialty, *place, *enterprise, *region;
	char score[32], lottery[24], rank[16];
};

static void assignment(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		       int32_t s, struct arow *a)
{
	int32_t p = res->place[s];

	a->student = id_or_empty(in->student_id, s);
	a->college = id_or_empty(in->college_id, in->student_college[s]);
	a->specialty = id_or_empty(in->specialty_id, in->student_specialty[s]);
	ksp_format_double(in->score[s], a->score, sizeof(a->score));
	snprintf(a->lottery, sizeof(a->lottery), "%016" PRIx64, res->lottery[s]);
	a->place = p >= 0 ? id_or_empty(in->place_id, p) : "";
	a->enterprise = p >= 0 ? id_or_empty(in->enterprise_id, in->place_enterprise[p]) : "";
	a->region = p >= 0 ? id_or_empty(in->region_id, in->place_region[p]) : "";
	if (p >= 0 && res->choice[s] > 0)
		snprintf(a->rank, sizeof(a->rank), "%" PRId32, res->choice[s]);
	else
		a->rank[0] = '\0';
}

static const char *const acols[] = { "student", "college",    "specialty", "score", "lottery",
				     "place",   "enterprise", "region",    "rank" };
static const char *const pcols[] = { "place",  "enterprise", "specialty", "region", "capacity",
				     "filled", "unfilled",   "cutoff",    "last_admitted" };

static int export_csv(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		      FILE *f)
{
	struct arow a;

	csv_row(f, (const char *[]){ acols[0], acols[1], acols[2], acols[3], acols[4], acols[5],
				     acols[6], acols[7], acols[8], NULL });
	for (int32_t s = 0; s < in->nstudents; s++) {
		assignment(in, res, s, &a);
		csv_row(f, (const char *[]){ a.student, a.college, a.specialty, a.score, a.lottery,
					     a.place, a.enterprise, a.region, a.rank, NULL });
	}
	return ferror(f) ? KSP_EIO : KSP_OK;
}

static int export_json(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		       const struct ksp_match_run_info *info, const struct ksp_match_stats *st,
		       const struct ksp_match_cutoff *cut, FILE *f)
{
	struct arow a;
	char num[32];

	fprintf(f, "{\n  \"run\": %lld,\n  \"created\": ", info->id);
	json_str(f, info->created);
	fprintf(f, ",\n  \"proposing\": \"%s\",\n  \"seed\": %" PRIu64 ",\n",
		info->opt.proposing == KSP_MATCH_ENTERPRISES ? "enterprises" : "students",
		info->opt.seed);
	ksp_format_double(info->opt.max_km, num, sizeof(num));
	fprintf(f, "  \"options\": {\"max_km\": %s, \"same_region\": %s},\n", num,
		info->opt.same_region ? "true" : "false");
	ksp_format_double(st->share_matched, num, sizeof(num));
	fprintf(f, "  \"summary\": {\"students\": %" PRId32 ", \"matched\": %" PRId32
		   ", \"share_matched\": %s, ",
		st->students, st->matched, num);
	ksp_format_double(st->mean_choice, num, sizeof(num));
	fprintf(f, "\"mean_rank\": %s, \"capacity\": %lld, \"filled\": %lld, \"rank_hist\": [",
		num, st->capacity, st->filled);
	for (int32_t r = 0; r <= st->max_choice; r++)
		fprintf(f, "%s%" PRId32, r ? ", " : "", st->rank_hist[r]);
	fputs("]},\n  \"assignments\": [", f);
	for (int32_t s = 0; s < in->nstudents; s++) {
		assignment(in, res, s, &a);
		fputs(s ? ",\n    {" : "\n    {", f);
		fputs("\"student\": ", f);
		json_str(f, a.student);
		fputs(", \"college\": ", f);
		json_str(f, a.college);
		fputs(", \"specialty\": ", f);
		json_str(f, a.specialty);
		fprintf(f, ", \"score\": %s, \"lottery\": \"%s\", \"place\": ", a.score, a.lottery);
		if (*a.place) {
			json_str(f, a.place);
			fputs(", \"enterprise\": ", f);
			json_str(f, a.enterprise);
			fputs(", \"region\": ", f);
			json_str(f, a.region);
			fprintf(f, ", \"rank\": %s}", *a.rank ? a.rank : "null");
		} else {
			fputs("null, \"enterprise\": null, \"region\": null, \"rank\": null}", f);
		}
	}
	fputs(in->nstudents ? "\n  ],\n  \"places\": [" : "],\n  \"places\": [", f);
	for (int32_t p = 0; p < in->nplaces; p++) {
		char b[64];

		fputs(p ? ",\n    {\"place\": " : "\n    {\"place\": ", f);
		json_str(f, ksp_match_name(in, KSP_MATCH_PLACE, p, b, sizeof(b)));
		fputs(", \"enterprise\": ", f);
		json_str(f, id_or_empty(in->enterprise_id, in->place_enterprise[p]));
		fputs(", \"specialty\": ", f);
		json_str(f, id_or_empty(in->specialty_id, in->place_specialty[p]));
		fputs(", \"region\": ", f);
		json_str(f, id_or_empty(in->region_id, in->place_region[p]));
		fprintf(f, ", \"capacity\": %" PRId32 ", \"filled\": %" PRId32 ", \"cutoff\": ",
			cut[p].capacity, cut[p].filled);
		if (isnan(cut[p].score)) {
			fputs("null", f);
		} else {
			ksp_format_double(cut[p].score, num, sizeof(num));
			fputs(num, f);
		}
		fputc('}', f);
	}
	fputs(in->nplaces ? "\n  ]\n}\n" : "]\n}\n", f);
	return ferror(f) ? KSP_EIO : KSP_OK;
}

static int export_xlsx(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		       const struct ksp_match_run_info *info, const struct ksp_match_stats *st,
		       const struct ksp_match_cutoff *cut, const char *path, struct ksp_error *err)
{
	lxw_workbook_options wo = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	lxw_error xe;
	struct arow a;
	uint32_t row;
	char b[64];

	if ((long long)in->nstudents + 1 > XLSX_MAX_ROWS || (long long)in->nplaces + 1 > XLSX_MAX_ROWS)
		return ksp_error_set(err, KSP_ETOOBIG,
				     "more than %d rows for one Excel sheet: export CSV or JSON",
				     XLSX_MAX_ROWS - 1);
	if (!(wb = workbook_new_opt(path, &wo)))
		return ksp_error_set(err, KSP_EIO, "cannot create '%s'", path);
	bold = workbook_add_format(wb);
	format_set_bold(bold);

	ws = workbook_add_worksheet(wb, "Assignments");
	for (uint16_t c = 0; c < 9; c++)
		worksheet_write_string(ws, 0, c, acols[c], bold);
	for (int32_t s = 0; s < in->nstudents; s++) {
		row = (uint32_t)s + 1;
		assignment(in, res, s, &a);
		worksheet_write_string(ws, row, 0, a.student, NULL);
		worksheet_write_string(ws, row, 1, a.college, NULL);
		worksheet_write_string(ws, row, 2, a.specialty, NULL);
		worksheet_write_number(ws, row, 3, in->score[s], NULL);
		worksheet_write_string(ws, row, 4, a.lottery, NULL);
		if (*a.place) {
			worksheet_write_string(ws, row, 5, a.place, NULL);
			worksheet_write_string(ws, row, 6, a.enterprise, NULL);
			worksheet_write_string(ws, row, 7, a.region, NULL);
			if (*a.rank)
				worksheet_write_number(ws, row, 8, res->choice[s], NULL);
		}
	}

	ws = workbook_add_worksheet(wb, "Places");
	for (uint16_t c = 0; c < 9; c++)
		worksheet_write_string(ws, 0, c, pcols[c], bold);
	for (int32_t p = 0; p < in->nplaces; p++) {
		row = (uint32_t)p + 1;
		worksheet_write_string(ws, row, 0, ksp_match_name(in, KSP_MATCH_PLACE, p, b, sizeof(b)),
				       NULL);
		worksheet_write_string(ws, row, 1,
				       id_or_empty(in->enterprise_id, in->place_enterprise[p]), NULL);
		worksheet_write_string(ws, row, 2,
				       id_or_empty(in->specialty_id, in->place_specialty[p]), NULL);
		worksheet_write_string(ws, row, 3, id_or_empty(in->region_id, in->place_region[p]),
				       NULL);
		worksheet_write_number(ws, row, 4, cut[p].capacity, NULL);
		worksheet_write_number(ws, row, 5, cut[p].filled, NULL);
		worksheet_write_number(ws, row, 6, cut[p].capacity - cut[p].filled, NULL);
		if (!isnan(cut[p].score))
			worksheet_write_number(ws, row, 7, cut[p].score, NULL);
		if (cut[p].last >= 0)
			worksheet_write_string(ws, row, 8,
					       ksp_match_name(in, KSP_MATCH_STUDENT, cut[p].last, b,
							      sizeof(b)),
					       NULL);
	}

	ws = workbook_add_worksheet(wb, "Summary");
	row = 0;
#define KV_S(k, v)                                                                      \
	do {                                                                            \
		worksheet_write_string(ws, row, 0, k, bold);                            \
		worksheet_write_string(ws, row++, 1, v, NULL);                          \
	} while (0)
#define KV_N(k, v)                                                                      \
	do {                                                                            \
		worksheet_write_string(ws, row, 0, k, bold);                            \
		worksheet_write_number(ws, row++, 1, (double)(v), NULL);                \
	} while (0)
	KV_N("run", info->id);
	KV_S("created", info->created);
	KV_S("proposing", info->opt.proposing == KSP_MATCH_ENTERPRISES ? "enterprises" : "students");
	snprintf(b, sizeof(b), "%" PRIu64, info->opt.seed);
	KV_S("seed", b);
	KV_N("max_km", info->opt.max_km);
	KV_S("same_region", info->opt.same_region ? "yes" : "no");
	KV_N("students", st->students);
	KV_N("matched", st->matched);
	KV_N("share_matched", st->share_matched);
	KV_N("mean_rank", st->mean_choice);
	KV_N("capacity", st->capacity);
	KV_N("filled", st->filled);
	KV_N("unmatched", st->rank_hist[0]);
	for (int32_t r = 1; r <= st->max_choice; r++) {
		snprintf(b, sizeof(b), "got choice %" PRId32, r);
		KV_N(b, st->rank_hist[r]);
	}
#undef KV_S
#undef KV_N
	if ((xe = workbook_close(wb)) != LXW_NO_ERROR)
		return ksp_error_set(err, KSP_EIO, "writing '%s' failed: %s", path,
				     lxw_strerror(xe));
	return KSP_OK;
}

int ksp_match_export(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		     const struct ksp_match_run_info *info, enum ksp_match_export_format fmt,
		     const char *path, struct ksp_error *err)
{
	struct ksp_match_cutoff *cut = NULL;
	struct ksp_match_stats st;
	int to_stdout = !path || !strcmp(path, "-");
	FILE *f = stdout;
	int rc;

	memset(&st, 0, sizeof(st));
	if ((rc = ksp_match_check_args(in, res, err)))
		return rc;
	if (fmt == KSP_MATCH_XLSX && to_stdout)
		return ksp_error_set(err, KSP_EUSAGE, "an XLSX export needs a file (--output FILE)");
	if (fmt != KSP_MATCH_CSV) { /* the summary and the places' cutoffs */
		if ((rc = ksp_match_stats(in, res, &st, err)))
			goto out;
		cut = ksp_xcalloc((size_t)in->nplaces + 1, sizeof(*cut));
		if ((rc = ksp_match_cutoffs(in, res, cut, err)))
			goto out;
	}
	if (fmt == KSP_MATCH_XLSX) {
		rc = export_xlsx(in, res, info, &st, cut, path, err);
		goto out;
	}
	if (!to_stdout && !(f = fopen(path, "w"))) {
		rc = ksp_error_set(err, KSP_EIO, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	rc = fmt == KSP_MATCH_CSV ? export_csv(in, res, f) : export_json(in, res, info, &st, cut, f);
	if (to_stdout ? fflush(f) != 0 : fclose(f) != 0)
		rc = KSP_EIO;
	if (rc)
		ksp_error_set(err, KSP_EIO, "writing '%s' failed", to_stdout ? "stdout" : path);
out:
	ksp_match_stats_release(&st);
	free(cut);
	return rc;
}
