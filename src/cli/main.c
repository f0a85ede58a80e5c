/*
 * main.c - the kasip command: global options, then one subcommand looked up
 * in the table below (git's commands[] in git.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_help(int argc, char **argv, struct cli *cli);
int cmd_init(int argc, char **argv, struct cli *cli);
int cmd_import(int argc, char **argv, struct cli *cli);
int cmd_export(int argc, char **argv, struct cli *cli);
int cmd_regions(int argc, char **argv, struct cli *cli);
int cmd_occupations(int argc, char **argv, struct cli *cli);
int cmd_show(int argc, char **argv, struct cli *cli);
int cmd_summary(int argc, char **argv, struct cli *cli);
int cmd_tables(int argc, char **argv, struct cli *cli);
int cmd_match(int argc, char **argv, struct cli *cli);
int cmd_gen(int argc, char **argv, struct cli *cli);
int cmd_forecast(int argc, char **argv, struct cli *cli);
int cmd_backtest(int argc, char **argv, struct cli *cli);
int cmd_scenario(int argc, char **argv, struct cli *cli);
int cmd_serve(int argc, char **argv, struct cli *cli);
int cmd_key(int argc, char **argv, struct cli *cli);
int cmd_atlas(int argc, char **argv, struct cli *cli);
int cmd_plan(int argc, char **argv, struct cli *cli);

static const struct cli_command commands[] = {
	{ "init", cmd_init, "kasip init [--data DIR] [--force]",
	  KSP_N_("create the database from the built-in Kazakhstan data set"),
	  "kasip init" },
	{ "import", cmd_import,
	  "kasip import TABLE FILE [--encoding cp1251] [--delimiter ';'|','|tab] [--source ID] [--cache MB]",
	  KSP_N_("load a CSV file into a table, all rows or none"),
	  "kasip import population my-population.csv --encoding cp1251" },
	{ "export", cmd_export, "kasip export TABLE [--format csv|json] [--output FILE]",
	  KSP_N_("write a table as CSV or JSON"),
	  "kasip export employment --format csv > employment.csv" },
	{ "tables", cmd_tables, "kasip tables [TABLE] [--format table|csv|json]",
	  KSP_N_("list the tables import and export know, or one table's columns"),
	  "kasip tables population" },
	{ "regions", cmd_regions, "kasip regions [--lang kk|ru|en] [--format table|csv|json]",
	  KSP_N_("list the 20 regions with their codes, names and population"),
	  "kasip regions --lang kk" },
	{ "occupations", cmd_occupations,
	  "kasip occupations [--level 1-4] [--under CODE] [--search TEXT] [--lang kk|ru|en] [--format table|csv|json]",
	  KSP_N_("list ISCO-08 occupation groups"),
	  "kasip occupations --level 2 --under 7" },
	{ "show", cmd_show, "kasip show region CODE [--lang kk|ru|en] [--format table|json]",
	  KSP_N_("everything the database knows about one region"),
	  "kasip show region KZ-59" },
	{ "summary", cmd_summary, "kasip summary [--format table|json]",
	  KSP_N_("a summary of the loaded data: counts, totals and their sources"),
	  "kasip summary" },
	{ "match", cmd_match,
	  "kasip match run [--enterprise-proposing] [--seed S] [--max-km N | --same-region]\n"
	  "       kasip match verify [RUN]\n"
	  "       kasip match explain STUDENT [--run RUN] [--format table|csv|json]\n"
	  "       kasip match stats [RUN] [--by summary|rank|region|specialty|cell]\n"
	  "                         [--format table|csv|json]\n"
	  "       kasip match cutoffs [RUN] [--format table|csv|json]\n"
	  "       kasip match export [RUN] [--format csv|json|xlsx] [--output FILE]",
	  KSP_N_("dual-training placement: stable matching of students to enterprise places"),
	  "kasip match run --seed 42\n  kasip match verify\n  kasip match explain S0000017\n"
	  "  kasip match stats --by region\n  kasip match cutoffs --format csv\n"
	  "  kasip match export 1 --format xlsx --output placement.xlsx" },
	{ "gen", cmd_gen,
	  "kasip gen placement --students N --enterprises M [--seed S] [--choices K] "
	  "[--specialties K] --out DIR",
	  KSP_N_("write a synthetic placement instance as CSV files for 'kasip import'"),
	  "kasip gen placement --students 1000 --enterprises 180 --seed 7 --out demo" },
	{ "forecast", cmd_forecast, "kasip forecast [--scenario NAME] [--to YEAR] [--level 1-4] [--classification ID] [--region CODE] [--draws N --seed S] [--bands all|target] [--threads N] [--format table|csv|json] [--run ID] [--year Y] [--cells] [--inputs]", KSP_N_("labour demand, supply and balance by region x occupation x year (stored as a run)"), "kasip forecast --scenario baseline --to 2035 --draws 1000 --seed 1" },
	{ "backtest", cmd_backtest, "kasip backtest --base YEAR --to YEAR [--scenario NAME] [--growth scenario|trend] [--naive-only] [--format table|csv|json] [--summary] [--chart PREFIX] [--run ID] | --calibrate RUN[,RUN...] [--run ID]", KSP_N_("the forecast from a past base year beside what was observed, with naive forecasts (stored as a run)"), "kasip backtest --base 2016 --to 2025" },
	{ "scenario", cmd_scenario, "kasip scenario list | show NAME | new NAME [--from NAME] [--title TEXT] [--set PARAM=VALUE[:DIST:SPREAD]]... [--file FILE]", KSP_N_("see and write the forecast's scenarios"), "kasip scenario new fast-ict --from baseline --set growth.J=0.06:normal:0.02" },
	{ "plan", cmd_plan,
	  "kasip plan migration [--run ID] [--year Y] [--budget KZT] [--willing X] [--min-movers N] [--params FILE]\n"
	  "       kasip plan orders [--run ID] [--region CODE] [--budget KZT] [--places N] [--working-share X] [--params FILE]\n"
	  "       kasip plan list | show ID [--format table|csv|json] | export ID [--format csv|json|xlsx] [--output FILE]",
	  KSP_N_("plan internal labour migration or state-funded college places from a forecast run"),
	  "kasip plan migration --year 2026 --budget 2000000000 --willing 0.1" },
	{ "serve", cmd_serve,
	  "kasip serve [--listen ADDR:PORT] [--db FILE] [--threads N] [--private] [--web-root DIR]\n"
	  "                   [--trusted-proxy ADDR] [--access-log FILE] [--rate N] [--burst N]\n"
	  "                   [--jobs N]",
	  KSP_N_("serve the HTTP API (and the web pages) until Ctrl-C; 127.0.0.1:8080 by default"),
	  "kasip serve --listen 127.0.0.1:8080" },
	{ "key", cmd_key,
	  "kasip key new --role viewer|analyst|admin [--region CODE] --name TEXT\n"
	  "       kasip key list [--format table|csv|json]\n"
	  "       kasip key revoke NAME",
	  KSP_N_("API keys for the server: make one (printed once), list them, revoke one"),
	  "kasip key new --role analyst --region KZ-59 --name akimat-sko" },
	{ "atlas", cmd_atlas,
	  "kasip atlas --region CODE [--run ID] [--level N] [--lang kk|ru|en]\n"
	  "             [--format table|csv|json|html|xlsx] [--output FILE] [--top N]\n"
	  "       kasip atlas --all --output DIR [--format html|table|csv|json|xlsx] [--run ID] [--level N]\n"
	  "       kasip atlas --compare --occupation CODE [--run ID] [--level N] [--format table|csv|json]\n"
	  "       kasip atlas --occupation CODE --region CODE [--run ID] [--format table|json]\n"
	  "       kasip atlas rules [--format table|csv|json]",
	  KSP_N_("the Atlas of Professions: each occupation's outlook by region, from a stored forecast"),
	  "kasip atlas --region KZ-75 --level 2" },
	{ "help", cmd_help, "kasip help [COMMAND]", KSP_N_("list the commands or show one's usage"),
	  "kasip help import" },
};

const struct cli_command *cli_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

#define SYNOPSIS "usage: kasip [--db PATH] [--lang kk|ru|en] [--busy-timeout MS] COMMAND [ARGS]\n"

static void print_main_usage(FILE *f)
{
	fprintf(f, SYNOPSIS "\n");
	fputs(cli_tr("kasip plans labour resources: forecasts, atlases of professions,\n"
		     "state-order and migration plans, dual-training placement.\n"), f);
	fprintf(f, "\n%s:\n", cli_tr("commands"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "   %-12s %s\n", commands[i].name, cli_tr(commands[i].summary));
	fputs("\n", f);
	fputs(cli_tr("'kasip COMMAND --help' shows a command's options and an example.\n"
		     "The database is --db PATH, else $KASIP_DB, else ./kasip.db.\n"
		     "A writer waits up to --busy-timeout MS (else $KASIP_BUSY_TIMEOUT, else 5000)\n"
		     "for another writer to finish.\n"
		     "The language is --lang kk|ru|en, else English.\n"
		     "Exit status: 0 success, 1 bad input or failed check, 2 wrong usage.\n"), f);
}

int cmd_help(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *c;

	(void)cli;
	if (argc < 2) {
		print_main_usage(stdout);
		return EXIT_OK;
	}
	c = cli_find(argv[1]);
	if (!c) {
		cli_error("'%s' is not a kasip command; see 'kasip help'", argv[1]);
		return EXIT_USAGE;
	}
	cli_usage(c, stdout);
	return EXIT_OK;
}

/* Milliseconds 0..86400000 (a day), or -1. */
static int parse_ms(const char *v)
{
	char *end;
	long n;

	if (!v || *v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n > 86400000L)
		return -1;
	return (int)n;
}

static int lang_ok(const char *v)
{
	return !strcmp(v, "kk") || !strcmp(v, "ru") || !strcmp(v, "en");
}

/*
 * A global option with a value: "--name VALUE" or "--name=VALUE".  Returns 1
 * and sets *value (advancing *i), 0 when argv[*i] is not --name, -1 when the
 * value is missing (after saying so).
 */
static int global_opt(int argc, char **argv, int *i, const char *name, const char **value)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) || (a[n] != '\0' && a[n] != '='))
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		(*i)++;
		return 1;
	}
	if (*i + 1 >= argc) {
		cli_error("option '%s' needs a value", name);
		fputs(SYNOPSIS, stderr);
		return -1;
	}
	*value = argv[*i + 1];
	*i += 2;
	return 1;
}

int main(int argc, char **argv)
{
	struct cli cli;
	const struct cli_command *c;
	int i = 1, rc;

	/*
	 * A file-size limit (ulimit -f) must be a write error that rolls back
	 * with a message, not a silent death by SIGXFSZ.
	 */
	signal(SIGXFSZ, SIG_IGN);
	memset(&cli, 0, sizeof(cli));
	cli.db_path = getenv("KASIP_DB");
	if (!cli.db_path || !*cli.db_path)
		cli.db_path = "kasip.db";
	cli_set_lang(&cli, "en");
	cli.busy_ms = KSP_STORE_BUSY_TIMEOUT_MS;
	if (getenv("KASIP_BUSY_TIMEOUT") && *getenv("KASIP_BUSY_TIMEOUT")) {
		cli.busy_ms = parse_ms(getenv("KASIP_BUSY_TIMEOUT"));
		if (cli.busy_ms < 0) {
			cli_error("$KASIP_BUSY_TIMEOUT takes milliseconds (0 to 86400000), not '%s'",
				  getenv("KASIP_BUSY_TIMEOUT"));
			return EXIT_USAGE;
		}
	}

	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i], *v;
		int r;

		if ((r = global_opt(argc, argv, &i, "--db", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			if (!*v) {
				cli_error("option '--db' needs a file name");
				return EXIT_USAGE;
			}
			cli.db_path = v;
		} else if ((r = global_opt(argc, argv, &i, "--lang", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			if (!lang_ok(v)) {
				cli_error("--lang takes kk, ru or en, not '%s'", v);
				fputs(SYNOPSIS, stderr);
				return EXIT_USAGE;
			}
			cli_set_lang(&cli, v);
		} else if ((r = global_opt(argc, argv, &i, "--busy-timeout", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			cli.busy_ms = parse_ms(v);
			if (cli.busy_ms < 0) {
				cli_error("--busy-timeout takes milliseconds (0 to 86400000), not '%s'", v);
				fputs(SYNOPSIS, stderr);
				return EXIT_USAGE;
			}
		} else if (!strcmp(a, "--version")) {
			printf("kasip %s\n", ksp_version());
			return EXIT_OK;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_main_usage(stdout);
			return EXIT_OK;
		} else {
			cli_error("unknown option '%s'", a);
			print_main_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		print_main_usage(stderr);
		return EXIT_USAGE;
	}
	c = cli_find(argv[i]);
	if (!c) {
		cli_error("'%s' is not a kasip command; see 'kasip help'", argv[i]);
		return EXIT_USAGE;
	}
	if (cli_wants_help(c, argc - i, argv + i))
		return EXIT_OK;
	rc = c->run(argc - i, argv + i, &cli);
	if (cli.store)
		ksp_store_close(cli.store);
	return rc;
}
