/*
 * cmd-occupations.c - kasip occupations: ISCO-08 (or a national classifier)
 * by level, under a group, or by words in the title.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kasip/i18n.h"

/* A title's source for people (table output); CSV and JSON keep the code. */
static const char *source_words(const char *lang, const char *source)
{
	if (!strcmp(source, "official"))
		return ksp_trc(lang, "title source", "official");
	if (!strcmp(source, "repaired"))
		return ksp_trc(lang, "title source", "repaired");
	if (!strcmp(source, "translation"))
		return ksp_trc(lang, "title source", "translation");
	return source;
}

int cmd_occupations(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("occupations");
	struct ksp_occupation_query q = { 0 };
	enum cli_format fmt = FMT_TABLE;
	struct ksp_occupation *list;
	struct out_table *t;
	const char *v;
	size_t n;
	int rc;

	for (int i = 1; i < argc; i++) {
		int r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt);

		if (r < 0)
			return EXIT_USAGE;
		if (r)
			continue;
		if ((r = cli_opt(cmd, argc, argv, &i, "level", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			if (strlen(v) != 1 || v[0] < '1' || v[0] > '5')
				return cli_usage_error(cmd, "--level takes 1, 2, 3 or 4 (5 for a "
							    "national classifier's finest level), not '%s'", v);
			q.level = v[0] - '0';
		} else if ((r = cli_opt(cmd, argc, argv, &i, "under", &q.under)) != 0 ||
			   (r = cli_opt(cmd, argc, argv, &i, "search", &q.search)) != 0 ||
			   (r = cli_opt(cmd, argc, argv, &i, "classification", &q.classification)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else {
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
		}
	}
	if (!cli_store_read(cli))
		return EXIT_BAD_INPUT;
	rc = ksp_occupation_list(cli->store, &q, &list, &n, &cli->err);
	if (rc)
		return cli_fail(cli, rc);
	if (!n && q.under) {
		cli_error("no occupation group '%s' in %s", q.under,
			q.classification ? q.classification : "ISCO-08");
		ksp_occupation_list_free(list);
		return EXIT_BAD_INPUT;
	}
	t = out_table_new();
	out_table_col(t, "code", 0);
	out_table_col(t, "level", OUT_NUM);
	out_table_col(t, "parent", 0);
	out_table_col(t, "title", 0);
	out_table_col(t, fmt == FMT_TABLE ? "source" : "title_source", 0);
	if (fmt != FMT_TABLE) {
		/* Every title and its source, for Excel and programs. */
		static const char *const more[] = { "title_en", "title_ru", "title_kk",
						     "title_en_source", "title_ru_source",
						     "title_kk_source" };

		for (size_t k = 0; k < sizeof(more) / sizeof(more[0]); k++)
			out_table_col(t, more[k], 0);
	}
	for (size_t i = 0; i < n; i++) {
		char ind[64] = "";

		if (fmt == FMT_TABLE && !q.level) {
			/* Indent by level so that the hierarchy shows. */
			int k = 0;

			for (int l = 1; l < list[i].level && k + 2 < (int)sizeof(ind); l++) {
				ind[k++] = ' ';
				ind[k++] = ' ';
			}
			ind[k] = '\0';
		}
		out_table_cell(t, list[i].code);
		out_table_cellf(t, "%d", list[i].level);
		out_table_cell(t, list[i].parent_code);
		out_table_cellf(t, "%s%s", ind, ksp_occupation_title(&list[i], cli->lang));
		if (fmt == FMT_TABLE) {
			out_table_cell(t, source_words(cli->lang,
						       ksp_occupation_title_source(&list[i], cli->lang)));
		} else {
			out_table_cell(t, ksp_occupation_title_source(&list[i], cli->lang));
			out_table_cell(t, list[i].title_en);
			out_table_cell(t, list[i].title_ru);
			out_table_cell(t, list[i].title_kk);
			out_table_cell(t, list[i].title_en_source);
			out_table_cell(t, list[i].title_ru_source);
			out_table_cell(t, list[i].title_kk_source);
		}
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	{
		size_t untranslated = 0;

		for (size_t i = 0; i < n; i++)
			if (ksp_occupation_title(&list[i], cli->lang) == list[i].title_en)
				untranslated++;
		if (strcmp(cli->lang, "en") && untranslated)
			cli_error("note: %zu of %zu titles have no %s translation in the database and "
				  "are shown in English (docs/data.md)",
				  untranslated, n, cli->lang);
	}
	out_table_free(t);
	ksp_occupation_list_free(list);
	return EXIT_OK;
}
