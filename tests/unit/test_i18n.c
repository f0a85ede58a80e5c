/*
 * test_i18n.c - the message catalogue (lib/i18n, po/LANG.po compiled by
 * tools/po2c): lookups, contexts, plural forms, numbers, translated errors.
 */
#include "harness.h"
#include "i18n/catalogue.h"
#include "kasip/error.h"
#include "kasip/i18n.h"

TEST(languages)
{
	CHECK_EQ_STR(ksp_lang_norm("kk"), "kk");
	CHECK_EQ_STR(ksp_lang_norm("RU"), "ru");
	CHECK_EQ_STR(ksp_lang_norm("ru-RU"), "ru");
	CHECK_EQ_STR(ksp_lang_norm("kk_KZ"), "kk");
	CHECK_EQ_STR(ksp_lang_norm("en"), "en");
	CHECK(ksp_lang_norm("de") == NULL);
	CHECK(ksp_lang_norm("kkk") == NULL);
	CHECK(ksp_lang_norm("") == NULL);
	CHECK(ksp_lang_norm(NULL) == NULL);
}

/* Every table is sorted as the binary search expects, and complete per plural form. */
TEST(tables_sorted)
{
	CHECK(ksp_ncatalogues >= 2);
	for (size_t c = 0; c < ksp_ncatalogues; c++) {
		const struct ksp_catalogue *cat = &ksp_catalogues[c];

		CHECK(cat->n > 100);
		CHECK(cat->nplurals >= 1 && cat->nplurals <= KSP_MAX_PLURALS);
		for (size_t i = 0; i < cat->n; i++) {
			const struct ksp_msg *m = &cat->msgs[i];

			CHECK(m->str[0] && m->str[0][0]);
			if (m->plural)
				for (int k = 0; k < cat->nplurals; k++)
					CHECK(m->str[k] && m->str[k][0]);
			if (i) {
				const struct ksp_msg *p = &cat->msgs[i - 1];
				int cmp = (!p->ctx != !m->ctx) ? (p->ctx ? 1 : -1)
					  : p->ctx && strcmp(p->ctx, m->ctx) ? strcmp(p->ctx, m->ctx)
									     : strcmp(p->id, m->id);

				CHECK(cmp < 0);
			}
		}
	}
}

TEST(lookup)
{
	CHECK_EQ_STR(ksp_tr("kk", "usage"), "қолданылуы");
	CHECK_EQ_STR(ksp_tr("ru", "usage"), "использование");
	CHECK_EQ_STR(ksp_tr("en", "usage"), "usage");
	CHECK_EQ_STR(ksp_tr(NULL, "usage"), "usage");
	CHECK_EQ_STR(ksp_tr("de", "usage"), "usage");
	CHECK_EQ_STR(ksp_tr("ru-RU", "usage"), "использование");
	/* a key with no translation comes back as it is */
	CHECK_EQ_STR(ksp_tr("kk", "no such key, surely"), "no such key, surely");
	CHECK(ksp_tr("kk", NULL) == NULL);
	/* the same word in two contexts */
	CHECK_EQ_STR(ksp_trc("ru", "column", "region"), "регион");
	CHECK_EQ_STR(ksp_trc("ru", "region type", "city"), "город республиканского значения");
	CHECK_EQ_STR(ksp_trc("ru", "no such context", "region"), "region");
	/* a context key is not found without its context */
	CHECK_EQ_STR(ksp_tr("ru", "kato"), "kato");
	CHECK_EQ_STR(ksp_trc("kk", "column", "kato"), "ӘАОЖ");
}

TEST(plurals)
{
	static const struct {
		unsigned long n;
		const char *ru, *kk;
	} cases[] = {
		{ 0, "всего %lld нарушений", "барлығы %lld ақау" },
		{ 1, "всего %lld нарушение", "барлығы %lld ақау" },
		{ 2, "всего %lld нарушения", "барлығы %lld ақау" },
		{ 4, "всего %lld нарушения", "барлығы %lld ақау" },
		{ 5, "всего %lld нарушений", "барлығы %lld ақау" },
		{ 11, "всего %lld нарушений", "барлығы %lld ақау" },
		{ 12, "всего %lld нарушений", "барлығы %lld ақау" },
		{ 21, "всего %lld нарушение", "барлығы %lld ақау" },
		{ 22, "всего %lld нарушения", "барлығы %lld ақау" },
		{ 111, "всего %lld нарушений", "барлығы %lld ақау" },
		{ 1001, "всего %lld нарушение", "барлығы %lld ақау" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ_STR(ksp_trn("ru", "%lld fault in all", "%lld faults in all", cases[i].n),
			     cases[i].ru);
		CHECK_EQ_STR(ksp_trn("kk", "%lld fault in all", "%lld faults in all", cases[i].n),
			     cases[i].kk);
	}
	CHECK_EQ_STR(ksp_trn("en", "%lld fault in all", "%lld faults in all", 1), "%lld fault in all");
	CHECK_EQ_STR(ksp_trn("en", "%lld fault in all", "%lld faults in all", 0), "%lld faults in all");
	CHECK_EQ_STR(ksp_trn("ru", "an unknown one", "unknown ones", 2), "unknown ones");
	/* a plural key is not a singular one */
	CHECK_EQ_STR(ksp_tr("ru", "%lld fault in all"), "%lld fault in all");
}

TEST(numbers)
{
	char b[64];

	CHECK_EQ_STR(ksp_fmt_number("en", 1234567.891, 2, b, sizeof(b)), "1,234,567.89");
	CHECK_EQ_STR(ksp_fmt_number("ru", 1234567.891, 2, b, sizeof(b)), "1\xc2\xa0" "234\xc2\xa0" "567,89");
	CHECK_EQ_STR(ksp_fmt_number("kk", -12345.5, 1, b, sizeof(b)), "-12\xc2\xa0" "345,5");
	CHECK_EQ_STR(ksp_fmt_number("kk", 999, 0, b, sizeof(b)), "999");
	CHECK_EQ_STR(ksp_fmt_number("en", -0.04, 1, b, sizeof(b)), "0.0");
	CHECK_EQ_STR(ksp_fmt_number(NULL, 1000, 0, b, sizeof(b)), "1,000");
	CHECK_EQ_STR(ksp_fmt_number("ru", 0.5, 1, b, sizeof(b)), "0,5");
	/* a short buffer stays terminated */
	ksp_fmt_number("ru", 1234567.0, 0, b, 5);
	CHECK(strlen(b) < 5);
}

TEST(errors_translated)
{
	struct ksp_error e;
	char buf[600];

	memset(&e, 0, sizeof(e));
	CHECK(ksp_error_lang(&e) == NULL);
	ksp_error_set(&e, KSP_ENOTFOUND, "no scenario \"%s\"; see 'kasip scenario list'", "x");
	CHECK_EQ_STR(e.msg, "no scenario \"x\"; see 'kasip scenario list'");
	ksp_error_use_lang(&e, "ru");
	CHECK_EQ_STR(ksp_error_lang(&e), "ru");
	ksp_error_set(&e, KSP_ENOTFOUND, "no scenario \"%s\"; see 'kasip scenario list'", "x");
	CHECK_EQ_STR(e.msg, "нет сценария \"x\"; см. 'kasip scenario list'");
	/* clearing keeps the language */
	ksp_error_clear(&e);
	CHECK_EQ_STR(ksp_error_lang(&e), "ru");
	CHECK_EQ_INT(e.code, 0);
	ksp_error_use_lang(&e, "kk");
	ksp_error_at(&e, KSP_EINVAL, "x.csv", 3, 2, "year", "expected a number, got \"%s\"", "x");
	CHECK_EQ_STR(ksp_error_format(&e, buf, sizeof(buf)), "x.csv:3:2: year: сан күтілді, \"x\" берілді");
	/* a status without a message, in the language */
	ksp_error_clear(&e);
	e.code = KSP_EDB;
	CHECK_EQ_STR(ksp_error_format(&e, buf, sizeof(buf)), "дерекқор қатесі");
	ksp_error_use_lang(&e, "de");
	CHECK(ksp_error_lang(&e) == NULL);
	/* garbage in the language reads as English */
	memset(&e, 0x6b, sizeof(e)); /* "kkkk..." */
	CHECK(ksp_error_lang(&e) == NULL);
	ksp_error_use_lang(NULL, "kk");
}

int main(void)
{
	RUN(languages);
	RUN(tables_sorted);
	RUN(lookup);
	RUN(plurals);
	RUN(numbers);
	RUN(errors_translated);
	return harness_done();
}
