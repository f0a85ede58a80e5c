/*
 * cmd-serve.c - kasip serve: the HTTP API (src/server/), until Ctrl-C.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "server.h"

#ifndef KSP_WEB_DIR
#define KSP_WEB_DIR "web"
#endif

static int number(const struct cli_command *cmd, const char *opt, const char *v, double lo,
		  double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	if (!*v || *end || errno || !(*out >= lo && *out <= hi))
		return cli_usage_error(cmd, "--%s takes a number from %g to %g, not '%s'", opt, lo, hi,
				       v);
	return 0;
}

int cmd_serve(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("serve");
	struct srv_config cfg;
	const char *v;
	double x;
	int r;

	memset(&cfg, 0, sizeof(cfg));
	cfg.listen = SRV_DEFAULT_LISTEN;
	cfg.db = cli->db_path;
	cfg.web_root = KSP_WEB_DIR;
	for (int i = 1; i < argc; i++) {
		if ((r = cli_opt(cmd, argc, argv, &i, "listen", &cfg.listen)) ||
		    (r = cli_opt(cmd, argc, argv, &i, "db", &cfg.db)) ||
		    (r = cli_opt(cmd, argc, argv, &i, "web-root", &cfg.web_root)) ||
		    (r = cli_opt(cmd, argc, argv, &i, "trusted-proxy", &cfg.trusted_proxy)) ||
		    (r = cli_opt(cmd, argc, argv, &i, "access-log", &cfg.access_log))) {
			if (r < 0)
				return EXIT_USAGE;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "threads", &v))) {
			if (r < 0 || number(cmd, "threads", v, 1, SRV_MAX_THREADS, &x))
				return EXIT_USAGE;
			cfg.threads = (int)x;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "jobs", &v))) {
			if (r < 0 || number(cmd, "jobs", v, 1, 16, &x))
				return EXIT_USAGE;
			cfg.job_workers = (int)x;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "rate", &v))) {
			if (r < 0 || number(cmd, "rate", v, 0.01, 1e6, &cfg.rate))
				return EXIT_USAGE;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "burst", &v))) {
			if (r < 0 || number(cmd, "burst", v, 1, 1e6, &cfg.burst))
				return EXIT_USAGE;
		} else if (!strcmp(argv[i], "--private")) {
			cfg.private_ = 1;
		} else {
			return cli_usage_error(cmd, "unknown argument '%s'", argv[i]);
		}
	}
	/* The built-in web root is optional (the API works without pages); a given one is not. */
	if (!strcmp(cfg.web_root, KSP_WEB_DIR) && access(cfg.web_root, F_OK))
		cfg.web_root = NULL;
	return srv_run(&cfg);
}
