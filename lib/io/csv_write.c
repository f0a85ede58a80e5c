/*
 * csv_write.c - writing CSV fields and numbers that the reader gives back.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasip/csv.h"

void ksp_csv_write_field(FILE *f, const char *v)
{
	size_t n = strlen(v);

	if (!strpbrk(v, ",;\t\"\r\n") && (!n || (v[0] != ' ' && v[n - 1] != ' '))) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

const char *ksp_format_double(double v, char *buf, size_t size)
{
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, size, "%.0f", v);
		return buf;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}
