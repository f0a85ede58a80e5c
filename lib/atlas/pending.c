/*
 * pending.c - the atlas's page, index and workbook until the render work
 * (lib/atlas/html.c, lib/atlas/xlsx.c) lands: a clear "not yet".  That work
 * deletes this file.
 */
#include "kasip/atlas.h"

int ksp_atlas_write_html(const struct ksp_atlas *a, FILE *out, struct ksp_error *err)
{
	(void)a;
	(void)out;
	return ksp_error_set(err, KSP_EUSAGE, "the atlas's HTML page is not built yet");
}

int ksp_atlas_write_index(const struct ksp_atlas *const *pages, const char *const *hrefs,
			  size_t n, const char *lang, FILE *out, struct ksp_error *err)
{
	(void)pages;
	(void)hrefs;
	(void)n;
	(void)lang;
	(void)out;
	return ksp_error_set(err, KSP_EUSAGE, "the atlas's HTML index is not built yet");
}

int ksp_atlas_write_xlsx(const struct ksp_atlas *a, const char *path, struct ksp_error *err)
{
	(void)a;
	(void)path;
	return ksp_error_set(err, KSP_EUSAGE, "the atlas's XLSX workbook is not built yet");
}
