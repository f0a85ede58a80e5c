/*
 * cli.h - the kasip command: shared pieces of the subcommands.
 *
 * Each subcommand is one file src/cli/cmd-NAME.c defining one
 * `int cmd_NAME(int argc, char **argv, struct cli *cli)` and one entry in the
 * table in main.c.  argv[0] is the subcommand's name.  A subcommand returns
 * an exit status: 0 success, 1 bad input (or a failed check), 2 wrong usage.
 * Commands use only kasip's public headers.
 */
#ifndef KSP_CLI_H
#define KSP_CLI_H

#include <stdio.h>

#include "kasip/kasip.h"

enum { EXIT_OK = 0, EXIT_BAD_INPUT = 1, EXIT_USAGE = 2 };

enum cli_format { FMT_TABLE, FMT_CSV, FMT_JSON };

struct cli {
	const char *db_path;      /* --db, $KASIP_DB, or "kasip.db" */
	const char *lang;         /* --lang kk|ru|en (default en) */
	int busy_ms;              /* --busy-timeout MS, $KASIP_BUSY_TIMEOUT, or 5000 */
	struct ksp_store *store;  /* opened by cli_store() */
	struct ksp_error err;
};

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv, struct cli *cli);
	const char *usage;   /* synopsis line(s), printed by --help and on misuse */
	const char *summary; /* one line for `kasip help`, a catalogue key (KSP_N_) */
	const char *example; /* one example, printed by --help */
};

/* ---- words for people: the message catalogue (kasip/i18n.h) -------------- */

/*
 * Every word the command prints for people goes through the catalogue: its
 * msgid is the English text, a literal at the call (tools/po2c finds it
 * there).  The CLI runs one command per process, so the language is the
 * process's: cli_set_lang() sets it (main from --lang, cli_common_opt from
 * a subcommand's --lang), together with cli->lang and the language of
 * cli->err's messages.
 */
void cli_set_lang(struct cli *cli, const char *lang);
/* "kk", "ru" or "en". */
const char *cli_lang(void);
/* msgid in the command's language. */
const char *cli_tr(const char *msgid) KSP_FORMAT_ARG(1);
/* msgid with a context (msgctxt) in the command's language. */
const char *cli_trc(const char *context, const char *msgid) KSP_FORMAT_ARG(2);
/* The singular or plural msgid for n in the command's language (ksp_trn). */
const char *cli_trn(const char *singular, const char *plural, unsigned long n)
	KSP_FORMAT_ARG(1) KSP_FORMAT_ARG(2);
/* printf to stdout; fmt is a catalogue key, translated first. */
void cli_printf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
/* "kasip: " and the translated fmt on stderr, with a newline. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
/* snprintf into buf with fmt translated; returns buf. */
char *cli_fmt(char *buf, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/*
 * A word of the data for people (a fact's topic, unit or kind): its
 * translation when the catalogue has one under msgctxt "data" (the known
 * words are listed in cli.c), else the word itself.
 */
const char *cli_data_word(const char *word);
/* The kind of a region (oblast, city, country) in the language of --lang. */
const char *cli_region_type(const char *type);

/*
 * Open the database for a command that writes (creating nothing, bringing
 * an older schema up to date): prints the error and returns NULL.
 */
struct ksp_store *cli_store(struct cli *cli);
/*
 * Open the database for a command that only reads: read-only, so that it
 * works on a full disk or a read-only file system (falls back to
 * cli_store() once, when the schema needs an upgrade).
 */
struct ksp_store *cli_store_read(struct cli *cli);
/* Print "kasip: <formatted error>" to stderr and return the exit code for it. */
int cli_fail(struct cli *cli, int status);
/* Exit code for a libkasip status. */
int cli_exit_code(int status);
/* Print usage of cmd to f. */
void cli_usage(const struct cli_command *cmd, FILE *f);
/* "--help" or "-h" anywhere in argv: print usage and return 1. */
int cli_wants_help(const struct cli_command *cmd, int argc, char **argv);
/* Complain about a usage error (printf-style, fmt a catalogue key) and
 * print the synopsis; returns EXIT_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif

	;
/* Parse "table|csv|json"; returns 0 or -1. */
int cli_parse_format(const char *s, enum cli_format *out);
/* The command table entry for name (NULL if none). */
const struct cli_command *cli_find(const char *name);

/*
 * Option parsing shared by all subcommands: long options only, "--opt VALUE"
 * or "--opt=VALUE".  cli_opt() returns 1 and sets *value when argv[*i] is
 * --name (advancing *i past the value), 0 when it is not, -1 on a missing
 * value (after printing the error).
 */
int cli_opt(const struct cli_command *cmd, int argc, char **argv, int *i,
	    const char *name, const char **value);

/* ---- tables on the terminal, CSV and JSON ------------------------------- */

/*
 * A result table built row by row and printed in the chosen format:
 * aligned columns (UTF-8 aware: Cyrillic counts one column per letter) for
 * people, RFC 4180 CSV for Excel, a JSON array of objects for programs.
 * Columns flagged numeric are right-aligned and written as JSON numbers.
 */
struct out_table;
#define OUT_NUM 1u
struct out_table *out_table_new(void);
/* A column: name is its CSV/JSON key and, through the catalogue (msgctxt
 * "column", so pass a literal), its header in the table format. */
void out_table_col(struct out_table *t, const char *name, unsigned flags);
/* The same with the table format's header given (already translated). */
void out_table_col_label(struct out_table *t, const char *name, const char *label,
			 unsigned flags);
/* Append one cell to the current row; a row ends with out_table_end_row(). */
void out_table_cell(struct out_table *t, const char *text);
void out_table_cellf(struct out_table *t, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif

	;
void out_table_end_row(struct out_table *t);
void out_table_print(struct out_table *t, enum cli_format fmt, FILE *f);
void out_table_free(struct out_table *t);

/* Display width of a UTF-8 string in terminal columns. */
size_t out_utf8_width(const char *s);



/*
 * Format a number for output: in FMT_TABLE by the language's conventions
 * (ksp_fmt_number: "12,345.6" in English, "12 345,6" with a no-break space
 * in Kazakh and Russian) with the given decimals; in CSV and JSON plain
 * C-locale digits.  Returns buf.
 */
const char *cli_num(double v, int decimals, enum cli_format fmt, const char *lang, char *buf,
		    size_t size);

/*
 * The options most listing commands share: --format table|csv|json and
 * --lang kk|ru|en.  Returns 1 when argv[*i] was one of them (consumed),
 * 0 when not, -1 on a bad value (after printing the usage error).
 */
int cli_common_opt(const struct cli_command *cmd, int argc, char **argv, int *i,
		   struct cli *cli, enum cli_format *fmt);
#endif
