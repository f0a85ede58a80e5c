/*
 * cmd-gen.c - kasip gen placement: write a realistic synthetic placement
 * instance as the CSV files `kasip import` reads (ksp_match_generate,
 * ksp_match_write_csv; the model is in docs/matching.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "kasip/match.h"

static int parse_count(const char *s, long lo, long hi, int32_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int32_t)v;
	return 0;
}

int cmd_gen(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("gen");
	static const char *const files[] = { "colleges",       "enterprises", "places", "students",
					     "choices", "enterprise-rankings" };
	struct ksp_match_gen_options g;
	struct ksp_match_instance in;
	const char *out = NULL, *v;
	long long seats = 0;
	struct stat sb;
	int rc, r;

	ksp_match_gen_options_init(&g);
	g.with_ids = 1;
	if (argc < 2 || strcmp(argv[1], "placement"))
		return cli_usage_error(cmd, "gen knows one kind of instance: 'placement'");
	for (int i = 2; i < argc; i++) {
		int32_t *target = NULL;
		const char *name = NULL;
		long lo = 1, hi = 0;

		if ((r = cli_opt(cmd, argc, argv, &i, (name = "students"), &v)) != 0) {
			target = &g.students;
			hi = KSP_MATCH_MAX_STUDENTS;
		} else if ((r = cli_opt(cmd, argc, argv, &i, (name = "enterprises"), &v)) != 0) {
			target = &g.enterprises;
			hi = KSP_MATCH_MAX_PLACES / 8;
		} else if ((r = cli_opt(cmd, argc, argv, &i, (name = "choices"), &v)) != 0) {
			target = &g.choices;
			hi = KSP_MATCH_MAX_CHOICES;
		} else if ((r = cli_opt(cmd, argc, argv, &i, (name = "specialties"), &v)) != 0) {
			target = &g.specialties;
			hi = 999; /* ids SP001..SP999 */
		} else if ((r = cli_opt(cmd, argc, argv, &i, "seed", &v)) != 0) {
			char *end;

			if (r < 0)
				return EXIT_USAGE;
			errno = 0;
			g.seed = strtoull(v, &end, 10);
			if (errno || end == v || *end || !isdigit((unsigned char)*v))
				return cli_usage_error(cmd, "--seed takes a whole number, not '%s'", v);
			continue;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "out", &out)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			continue;
		} else {
			return cli_usage_error(cmd, "gen placement: unexpected argument '%s'", argv[i]);
		}
		if (r < 0)
			return EXIT_USAGE;
		if (parse_count(v, lo, hi, target))
			return cli_usage_error(cmd, "--%s takes a whole number %ld..%ld, not '%s'",
					       name, lo, hi, v);
	}
	if (!g.students || !g.enterprises || !out)
		return cli_usage_error(cmd, "gen placement needs --students N, --enterprises M and "
					    "--out DIR");
	if (stat(out, &sb) != 0) {
		if (mkdir(out, 0777) != 0) {
			cli_error("cannot create '%s': %s", out, strerror(errno));
			return EXIT_BAD_INPUT;
		}
	} else if (!S_ISDIR(sb.st_mode)) {
		cli_error("'%s' is not a directory", out);
		return EXIT_BAD_INPUT;
	}
	if ((rc = ksp_match_generate(&in, &g, &cli->err)))
		return cli_fail(cli, rc);
	rc = ksp_match_write_csv(&in, out, &cli->err);
	for (int32_t p = 0; p < in.nplaces; p++)
		seats += in.capacity[p];
	if (!rc) {
		cli_printf("kasip: wrote %d students, %d colleges, %d enterprises, %d places (%lld seats) "
			   "to '%s'\nimport them in this order:\n",
		       (int)in.nstudents, (int)in.ncolleges, (int)in.nenterprises, (int)in.nplaces,
		       seats, out);
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			printf("  kasip import %s %s/%s.csv\n", files[i], out, files[i]);
	}
	ksp_match_instance_release(&in);
	return rc ? cli_fail(cli, rc) : EXIT_OK;
}
