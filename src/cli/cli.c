/*
 * cli.c - option parsing, usage and error reporting shared by the subcommands.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* ---- words for people ------------------------------------------------------ */

static const char *lang_now = "en";

void cli_set_lang(struct cli *cli, const char *lang)
{
	const char *l = ksp_lang_norm(lang);

	lang_now = l ? l : "en";
	if (cli) {
		cli->lang = lang_now;
		ksp_error_use_lang(&cli->err, lang_now);
	}
}

const char *cli_lang(void)
{
	return lang_now;
}

const char *cli_tr(const char *msgid)
{
	return ksp_tr(lang_now, msgid);
}

const char *cli_trc(const char *context, const char *msgid)
{
	return ksp_trc(lang_now, context, msgid);
}

const char *cli_trn(const char *singular, const char *plural, unsigned long n)
{
	return ksp_trn(lang_now, singular, plural, n);
}

/* The data's words that have translations (msgctxt "data"). */
static const char *const data_words[] = {
	KSP_NC_("data", "data set"), KSP_NC_("data", "population"),
	KSP_NC_("data", "labour force"), KSP_NC_("data", "employment"),
	KSP_NC_("data", "vital events"), KSP_NC_("data", "resettlement"),
	KSP_NC_("data", "rows"), KSP_NC_("data", "persons"),
	KSP_NC_("data", "thousand persons"), KSP_NC_("data", "percent"),
	KSP_NC_("data", "official"), KSP_NC_("data", "derived"),
	KSP_NC_("data", "assumption"), KSP_NC_("data", "estimate"),
	KSP_NC_("data", "computed"),
};

const char *cli_data_word(const char *word)
{
	for (size_t i = 0; i < sizeof(data_words) / sizeof(data_words[0]); i++)
		if (!strcmp(word, data_words[i]))
			return ksp_trc(lang_now, "data", data_words[i]);
	return word;
}

/* The kind of a region for people; CSV and JSON keep the code. */
const char *cli_region_type(const char *type)
{
	if (!strcmp(type, "oblast"))
		return cli_trc("region type", "oblast");
	if (!strcmp(type, "city"))
		return cli_trc("region type", "city");
	if (!strcmp(type, "country"))
		return cli_trc("region type", "country");
	return type;
}

/*
 * The format strings below are catalogue keys whose translations tools/po2c
 * has checked to use the same printf conversions, so a translated format
 * takes the caller's arguments safely.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

void cli_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(cli_tr(fmt), ap);
	va_end(ap);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kasip: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, cli_tr(fmt), ap);
	va_end(ap);
	fputc('\n', stderr);
}

char *cli_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, cli_tr(fmt), ap);
	va_end(ap);
	return buf;
}

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("kasip: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, cli_tr(fmt), ap);
	va_end(ap);
	fprintf(stderr, "\n%s: %s\n", cli_tr("usage"), cmd->usage);
	return EXIT_USAGE;
}

#pragma GCC diagnostic pop

/* ---- errors, usage, options ------------------------------------------------ */

int cli_exit_code(int status)
{
	switch (status) {
	case KSP_OK:
	case KSP_DONE:
		return EXIT_OK;
	case KSP_EUSAGE:
		return EXIT_USAGE;
	default:
		return EXIT_BAD_INPUT;
	}
}

int cli_fail(struct cli *cli, int status)
{
	char buf[KSP_ERROR_MSG_SIZE + KSP_ERROR_FILE_SIZE + KSP_ERROR_FIELD_SIZE + 64];

	if (!cli->err.msg[0])
		cli->err.code = status;
	fprintf(stderr, "kasip: %s%s\n", ksp_error_format(&cli->err, buf, sizeof(buf)),
		status == KSP_EBUSY ? " (--busy-timeout)" : "");
	return cli_exit_code(status);
}

static struct ksp_store *open_store(struct cli *cli, unsigned flags)
{
	int rc, current = 1;

	if (cli->store)
		return cli->store;
	rc = ksp_store_open(&cli->store, cli->db_path, flags, &cli->err);
	if (!rc)
		ksp_store_set_busy_timeout(cli->store, cli->busy_ms);
	if (!rc && (flags & KSP_STORE_READONLY))
		rc = ksp_store_schema_current(cli->store, &current, &cli->err);
	if (!rc && !current) {
		/* An older database: upgrade it once through a read-write open. */
		ksp_store_close(cli->store);
		cli->store = NULL;
		return open_store(cli, flags & ~(unsigned)KSP_STORE_READONLY);
	}
	/* Bring an older database up to this build's schema (a no-op when current). */
	if (!rc && !(flags & KSP_STORE_READONLY))
		rc = ksp_store_migrate(cli->store, &cli->err);
	if (rc) {
		cli_fail(cli, rc);
		if (cli->store)
			ksp_store_close(cli->store);
		cli->store = NULL;
		return NULL;
	}
	return cli->store;
}

struct ksp_store *cli_store(struct cli *cli)
{
	return open_store(cli, 0);
}

struct ksp_store *cli_store_read(struct cli *cli)
{
	return open_store(cli, KSP_STORE_READONLY);
}

void cli_usage(const struct cli_command *cmd, FILE *f)
{
	fprintf(f, "%s: %s\n\n%s\n", cli_tr("usage"), cmd->usage, cli_tr(cmd->summary));
	if (cmd->example)
		fprintf(f, "\n%s:\n  %s\n", cli_tr("example"), cmd->example);
}

int cli_wants_help(const struct cli_command *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			cli_usage(cmd, stdout);
			return 1;
		}
	}
	return 0;
}

int cli_parse_format(const char *s, enum cli_format *out)
{
	if (!strcmp(s, "table"))
		*out = FMT_TABLE;
	else if (!strcmp(s, "csv"))
		*out = FMT_CSV;
	else if (!strcmp(s, "json"))
		*out = FMT_JSON;
	else
		return -1;
	return 0;
}

int cli_opt(const struct cli_command *cmd, int argc, char **argv, int *i, const char *name,
	    const char **value)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, "--", 2) || strncmp(a + 2, name, n))
		return 0;
	if (a[2 + n] == '=') {
		*value = a + 3 + n;
		return 1;
	}
	if (a[2 + n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		cli_usage_error(cmd, "option '--%s' needs a value", name);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

const char *cli_num(double v, int decimals, enum cli_format fmt, const char *lang, char *buf,
		    size_t size)
{
	char raw[64];

	if (fmt == FMT_TABLE)
		return ksp_fmt_number(lang, v, decimals, buf, size);
	snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	if (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1))
		memmove(raw, raw + 1, strlen(raw)); /* never "-0" or "-0.0" */
	snprintf(buf, size, "%s", raw);
	return buf;
}

int cli_common_opt(const struct cli_command *cmd, int argc, char **argv, int *i,
		   struct cli *cli, enum cli_format *fmt)
{
	const char *v;
	int r;

	if ((r = cli_opt(cmd, argc, argv, i, "format", &v)) != 0) {
		if (r < 0)
			return -1;
		if (cli_parse_format(v, fmt)) {
			cli_usage_error(cmd, "--format takes table, csv or json, not '%s'", v);
			return -1;
		}
		return 1;
	}
	if ((r = cli_opt(cmd, argc, argv, i, "lang", &v)) != 0) {
		if (r < 0)
			return -1;
		if (strcmp(v, "kk") && strcmp(v, "ru") && strcmp(v, "en")) {
			cli_usage_error(cmd, "--lang takes kk, ru or en, not '%s'", v);
			return -1;
		}
		cli_set_lang(cli, v);
		return 1;
	}
	return 0;
}
