/*
 * bench_csv.c - throughput of the CSV reader (kasip/csv.h).
 *
 * Writes a synthetic file with a fixed seed (plain numbers and codes, or
 * quoted Cyrillic with ';' and CRLF as Excel saves it, or the same in CP1251),
 * then reads it 7 times and reports the median and best time and MB/s.
 *
 *   build/release/bench/bench_csv [MB]      (default 50)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kasip/csv.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static unsigned long long rng = 42;

static unsigned next(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(rng >> 33);
}

/* kind 0: plain; 1: quoted Cyrillic, ';', CRLF, decimal commas (UTF-8). */
static long write_file(const char *path, int kind, long bytes)
{
	/* Russian names: CP1251 has no letters for Kazakh ә, ғ, қ, ң, ө, ұ, ү, һ, і. */
	static const char *names[] = { "Астана", "Алматы", "Шымкент", "Туркестанская область",
				       "Северо-Казахстанская область", "Павлодарская область" };
	FILE *f = fopen(path, "wb");
	long n = 0;

	if (!f)
		return -1;
	if (kind == 0)
		n += fprintf(f, "region,year,sex,age,population,source\n");
	else
		n += fprintf(f, "Регион;Год;Название;Население;Источник\r\n");
	while (n < bytes) {
		if (kind == 0)
			n += fprintf(f, "KZ-%02u,%u,%s,%u,%u.%u,bns-6576\n", 10 + next() % 70,
				     2000 + next() % 40, next() % 2 ? "male" : "female", next() % 101,
				     next() % 100000, next() % 10);
		else
			n += fprintf(f, "KZ-%02u;%u;\"%s; \"\"центр\"\"\";\"%u %03u,%u\";bns-6576\r\n",
				     10 + next() % 70, 2000 + next() % 40, names[next() % 6],
				     next() % 3000, next() % 1000, next() % 10);
	}
	fclose(f);
	return n;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int run(const char *label, const char *path, const char *encoding, int numbers)
{
	struct ksp_csv_options o = { 0 };
	double t[7], sum = 0;
	size_t rows = 0, fields = 0;
	long size;
	FILE *f = fopen(path, "rb");

	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	o.encoding = encoding;
	for (int rep = 0; rep < 7; rep++) {
		struct ksp_csv *c;
		struct ksp_csv_row r;
		struct ksp_error e;
		double t0 = now();
		int rc;

		rows = fields = 0;
		if (ksp_csv_open_file(&c, path, NULL, &o, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		while ((rc = ksp_csv_next(c, &r, &e)) == KSP_OK) {
			rows++;
			fields += r.nfields;
			if (numbers)
				for (size_t i = 0; i < r.nfields; i++) {
					double d;

					if (!ksp_parse_double(r.fields[i], &d))
						sum += d;
				}
		}
		ksp_csv_free(c);
		if (rc != KSP_DONE) {
			fprintf(stderr, "%ld:%ld %s\n", e.line, e.column, e.msg);
			return 1;
		}
		t[rep] = now() - t0;
	}
	qsort(t, 7, sizeof(t[0]), cmp);
	printf("%-44s %6.1f MB %8zu rows  median %.3f s = %4.0f MB/s  (best %4.0f MB/s)\n", label,
	       (double)size / 1e6, rows, t[3], (double)size / 1e6 / t[3], (double)size / 1e6 / t[0]);
	(void)sum;
	return 0;
}

int main(int argc, char **argv)
{
	long mb = argc > 1 ? strtol(argv[1], NULL, 10) : 50;
	char plain[] = "/tmp/kasip-bench-csv-plain-XXXXXX", ru[] = "/tmp/kasip-bench-csv-ru-XXXXXX";
	char cp[] = "/tmp/kasip-bench-csv-cp1251-XXXXXX", cmd[256];
	int fd, rc = 0;

	if (mb <= 0)
		mb = 50;
	if ((fd = mkstemp(plain)) < 0 || close(fd) || (fd = mkstemp(ru)) < 0 || close(fd) ||
	    (fd = mkstemp(cp)) < 0 || close(fd))
		return 1;
	write_file(plain, 0, mb * 1000000);
	write_file(ru, 1, mb * 1000000);
	snprintf(cmd, sizeof(cmd), "iconv -f UTF-8 -t CP1251 %s > %s", ru, cp);
	if (system(cmd) != 0)
		rc = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("CSV reader, release build, 7 runs each (file read included)\n");
	rc |= run("plain ',' LF", plain, NULL, 0);
	rc |= run("plain ',' LF, every field parsed as number", plain, NULL, 1);
	rc |= run("quoted Cyrillic ';' CRLF (UTF-8)", ru, NULL, 0);
	rc |= run("quoted Cyrillic ';' CRLF (CP1251 -> UTF-8)", cp, "cp1251", 0);
	unlink(plain);
	unlink(ru);
	unlink(cp);
	return rc;
}
