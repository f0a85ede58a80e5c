/*
 * kasip/match.h - dual-training placement: many-to-one stable matching.
 *
 * Students rank enterprise places (an enterprise's places in one specialty);
 * each place has a capacity and ranks students by score (the default), by
 * college order, or by an explicit list.  kasip assigns students to places
 * so that no student and place would both rather be matched to each other
 * than to what they got (a stable matching of the hospitals/residents
 * problem, Gale and Shapley 1962; Roth and Sotomayor 1990, ch. 5).  The
 * method, the texts and the options are described in docs/matching.md.
 *
 * The life of a placement:
 *
 *     struct ksp_match_instance in;
 *     ksp_match_instance_init(&in);
 *     ksp_match_add_region(&in, "750000000", 43.17712, 76.97452, err);
 *     ksp_match_add_place(&in, "E1/welding", -1, -1, 0, 12, err);
 *     ksp_match_add_student(&in, "S1", -1, -1, 0, 74.5, prefs, n, err);
 *     ...
 *     ksp_match_instance_check(&in, err);     (once, after the last add)
 *     ksp_match_options_init(&opt);  opt.seed = 42;
 *     ksp_match_run(&in, &opt, &res, err);
 *     ksp_match_verify(&in, &opt, &res, &violation, err);
 *     ...
 *     ksp_match_result_release(&res);
 *     ksp_match_instance_release(&in);
 *
 * Indexes: regions, colleges, specialties, enterprises, places and students
 * are numbered 0, 1, 2, ... in the order they were added; -1 means "none"
 * or "unknown" wherever a field is optional.
 *
 * Ties.  A place's ranking may tie students (equal scores, equal ranks in
 * an explicit list, students of the same college with equal scores).  Ties
 * are broken by single tie-breaking: every student draws one lottery number
 * per run, used by every place, and the lower number wins.  The numbers are
 * SplitMix64 outputs of the seed and the student's id (see
 * ksp_match_lottery_id(); students without ids: their index, see
 * ksp_match_lottery()), so a run is reproduced exactly from the instance and
 * the seed on every machine, and a student's number does not change when
 * other students are added or removed.
 *
 * Threads: the functions keep no global state; distinct objects may be used
 * from distinct threads.  An instance is read-only for every function after
 * ksp_match_instance_check(), so several threads may run on one instance.
 */
#ifndef KASIP_MATCH_H
#define KASIP_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "kasip/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- caps on what input can grow ---------------------------------------- */

#define KSP_MATCH_MAX_STUDENTS (1 << 26)  /* 67 M students */
#define KSP_MATCH_MAX_PLACES (1 << 26)    /* places (and enterprises, colleges) */
#define KSP_MATCH_MAX_REGIONS 1024        /* regions with centres */
#define KSP_MATCH_MAX_SPECIALTIES 100000  /* specialties */
#define KSP_MATCH_MAX_CHOICES 1000        /* places one student may rank */
#define KSP_MATCH_MAX_CAPACITY 1000000    /* students one place may take */
#define KSP_MATCH_MAX_ENTRIES 2000000000  /* all choices, and all ranking entries */
#define KSP_MATCH_ID_MAX 256              /* bytes in one id */

/* ---- the instance ---------------------------------------------------------- */

/* How a place ranks the students who apply to it. */
enum ksp_match_rule {
	/* Higher score first; equal scores by lottery.  Everyone is acceptable. */
	KSP_RANK_SCORE = 0,
	/*
	 * By the place's order of colleges (rank 1 first, equal ranks tie),
	 * then higher score, then lottery.  Students of a college the place
	 * does not list, or with no college, are not acceptable.
	 */
	KSP_RANK_COLLEGE = 1,
	/*
	 * By the place's explicit list of students (rank 1 first, equal ranks
	 * tie and go to the lottery).  Students not on the list are not
	 * acceptable: only pairs ranked on both sides can be matched.  An
	 * empty list accepts nobody.
	 */
	KSP_RANK_LIST = 2
};

/*
 * A placement instance in flat arrays.  Every array is owned by the
 * instance and freed by ksp_match_instance_release().  Fill it only through
 * the ksp_match_add_*() and ksp_match_rank_*() functions; read the fields
 * freely.  The *_id arrays are NULL until the first non-NULL id is added;
 * an entry is NULL where no id was given (see ksp_match_name()).
 */
struct ksp_match_instance {
	/* Regions (first-level units) with the lat/lon of their centres. */
	int32_t nregions;
	double *region_lat; /* degrees; NAN when not known */
	double *region_lon;
	char **region_id;   /* e.g. the KATO code "750000000" */

	int32_t ncolleges;
	int32_t *college_region; /* -1 unknown */
	char **college_id;

	int32_t nspecialties;
	char **specialty_id;

	int32_t nenterprises;
	int32_t *enterprise_region; /* -1 unknown */
	char **enterprise_id;

	/* Places: (enterprise, specialty) with a capacity and a ranking rule. */
	int32_t nplaces;
	int32_t *capacity;        /* >= 0 */
	int32_t *place_enterprise; /* -1 none */
	int32_t *place_specialty;  /* -1 any */
	int32_t *place_region;     /* -1 unknown */
	uint8_t *place_rule;       /* enum ksp_match_rule */
	char **place_id;

	/*
	 * Students.  Student s ranks the places pref[pref_start[s]] (first
	 * choice) to pref[pref_start[s + 1] - 1] (last choice): a CSR layout,
	 * pref_start has nstudents + 1 entries.
	 */
	int32_t nstudents;
	double *score;             /* finite; higher is better */
	int32_t *student_college;  /* -1 none */
	int32_t *student_specialty; /* -1 any */
	int32_t *student_region;   /* -1 unknown */
	int32_t *pref_start;
	int32_t *pref;
	char **student_id;

	/*
	 * Explicit rankings of KSP_RANK_LIST and KSP_RANK_COLLEGE places:
	 * entry i says place rank_place[i] gives rank rank_value[i] (1 = best)
	 * to student (LIST) or college (COLLEGE) rank_who[i].  After
	 * ksp_match_instance_check() the entries are sorted by (place, who)
	 * and rank_start (nplaces + 1 entries) indexes them by place.
	 */
	int32_t nranks;
	int32_t *rank_place;
	int32_t *rank_who;
	int32_t *rank_value;
	int32_t *rank_start;

	int checked; /* set by ksp_match_instance_check(), cleared by any add */
	size_t alloc_[8]; /* private: array capacities */
};

/* Set up an empty instance.  Never fails. */
void ksp_match_instance_init(struct ksp_match_instance *in);
/* Free everything the instance holds and leave it empty (re-initialised). */
void ksp_match_instance_release(struct ksp_match_instance *in);

/*
 * Make room for at least this many places, students and choices in all,
 * so that adding them does not grow the arrays step by step (a large
 * instance then takes its final size at once).  Optional; never shrinks.
 * Errors: KSP_EINVAL (a negative count), KSP_ETOOBIG (over a cap).
 */
int ksp_match_instance_reserve(struct ksp_match_instance *in, int32_t places, int32_t students,
			       int64_t choices, struct ksp_error *err);

/*
 * Add one region, college, specialty, enterprise, place or student.  The
 * new object's index is the count before the call (in->nregions, ...).
 * id may be NULL; it is copied (at most KSP_MATCH_ID_MAX - 1 bytes, else
 * KSP_ETOOBIG).  An index out of range, a negative capacity, a non-finite
 * score, a place ranked twice by one student: KSP_EINVAL, and nothing is
 * added.  Going over a cap above: KSP_ETOOBIG.
 *
 * ksp_match_add_place(): region -1 takes the enterprise's region.  The rule
 * starts as KSP_RANK_SCORE; ksp_match_rank_students() or
 * ksp_match_rank_colleges() change it.
 * ksp_match_add_student(): prefs[0..nprefs) are place indexes, first
 * choice first (copied).
 */
int ksp_match_add_region(struct ksp_match_instance *in, const char *id, double lat,
			 double lon, struct ksp_error *err);
int ksp_match_add_college(struct ksp_match_instance *in, const char *id, int32_t region,
			  struct ksp_error *err);
int ksp_match_add_specialty(struct ksp_match_instance *in, const char *id, struct ksp_error *err);
int ksp_match_add_enterprise(struct ksp_match_instance *in, const char *id, int32_t region,
			     struct ksp_error *err);
int ksp_match_add_place(struct ksp_match_instance *in, const char *id, int32_t enterprise,
			int32_t specialty, int32_t region, int32_t capacity, struct ksp_error *err);
int ksp_match_add_student(struct ksp_match_instance *in, const char *id, int32_t college,
			  int32_t specialty, int32_t region, double score, const int32_t *prefs,
			  size_t nprefs, struct ksp_error *err);

/*
 * Give place an explicit ranking: students (ksp_match_rank_students, rule
 * KSP_RANK_LIST) or colleges (ksp_match_rank_colleges, rule
 * KSP_RANK_COLLEGE).  ranks[i] >= 1 is the rank of who[i], 1 = best, equal
 * ranks tie; ranks NULL means 1, 2, 3, ... in list order.  May be called
 * again for the same place to append, but a place ranks either students or
 * colleges (mixing is KSP_EINVAL).  Listing one student or college twice is
 * found by ksp_match_instance_check().  The lists may name students who do
 * not rank the place: those entries have no effect.
 */
int ksp_match_rank_students(struct ksp_match_instance *in, int32_t place, const int32_t *who,
			    const int32_t *ranks, size_t n, struct ksp_error *err);
int ksp_match_rank_colleges(struct ksp_match_instance *in, int32_t place, const int32_t *who,
			    const int32_t *ranks, size_t n, struct ksp_error *err);

/*
 * Set place's rule outright.  KSP_RANK_LIST or KSP_RANK_COLLEGE with no
 * entries is a place that accepts nobody (as ksp_match_rank_students() or
 * ksp_match_rank_colleges() with n = 0): a list that names no one accepts
 * no one; it never falls back to ranking by score.  KSP_RANK_SCORE on a
 * place that already has entries, the other explicit rule on a place with
 * one, or a rule out of range: KSP_EINVAL, and nothing changes.
 */
int ksp_match_set_rule(struct ksp_match_instance *in, int32_t place, enum ksp_match_rule rule,
		       struct ksp_error *err);

/*
 * Check the whole instance and index the rankings; required once before
 * any run, verify, explain, cutoffs or stats (they return KSP_EUSAGE
 * otherwise).  Error: KSP_EINVAL when a place lists one student or college
 * twice (the first one found, named by id).  (A student ranking a place of
 * another specialty, when both are known, is refused already by
 * ksp_match_add_student().)
 */
int ksp_match_instance_check(struct ksp_match_instance *in, struct ksp_error *err);

/* What ksp_match_name() names. */
enum ksp_match_kind {
	KSP_MATCH_REGION,
	KSP_MATCH_COLLEGE,
	KSP_MATCH_SPECIALTY,
	KSP_MATCH_ENTERPRISE,
	KSP_MATCH_PLACE,
	KSP_MATCH_STUDENT
};

/*
 * The id of object idx of the given kind, or when it has none a made-up
 * "student #12" written into buf (always NUL-terminated).  Returns a
 * pointer to the id or to buf; idx -1 gives "none".
 */
const char *ksp_match_name(const struct ksp_match_instance *in, enum ksp_match_kind kind,
			   int32_t idx, char *buf, size_t size);

/* ---- options and runs ------------------------------------------------------ */

enum ksp_match_side {
	KSP_MATCH_STUDENTS = 0,   /* students propose: the student-optimal stable matching */
	KSP_MATCH_ENTERPRISES = 1 /* places propose: the enterprise-optimal stable matching */
};

struct ksp_match_options {
	enum ksp_match_side proposing; /* default KSP_MATCH_STUDENTS */
	uint64_t seed;                 /* lottery seed, default 1 */
	/*
	 * Geographic rules (at most one): a pair whose region centres are
	 * more than max_km apart (great circle, mean Earth radius 6371.0088
	 * km) is not acceptable; same_region: only a place in the student's
	 * region is acceptable.  0 = no rule.  With a rule on, every student
	 * and every place that a student ranks needs a region (and centre
	 * coordinates for max_km): a missing one is KSP_EINVAL.
	 */
	double max_km;
	int same_region;
};

/* Defaults: students propose, seed 1, no geographic rule. */
void ksp_match_options_init(struct ksp_match_options *opt);

/*
 * The outcome of a run.  All arrays are owned by the result and freed by
 * ksp_match_result_release().
 */
struct ksp_match_result {
	int32_t nstudents;
	int32_t nplaces;
	int32_t *place;    /* [nstudents] assigned place, -1 unmatched */
	int32_t *choice;   /* [nstudents] 1-based rank of that place in the student's list, 0 none */
	uint64_t *lottery; /* [nstudents] the lottery numbers used (lower wins a tie) */
	int32_t *filled;   /* [nplaces] students assigned */
	enum ksp_match_side proposing;
	uint64_t seed;
	long long proposals; /* offers made during the run (a measure of work) */
};

/*
 * The i-th lottery number of a seed: the (student + 1)-th output of
 * SplitMix64 started from state seed (Steele, Lea and Flood, "Fast
 * splittable pseudorandom number generators", OOPSLA 2014):
 *     z = seed + (student + 1) * 0x9E3779B97F4A7C15
 *     z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
 *     z = (z ^ (z >> 27)) * 0x94D049BB133111EB
 *     return z ^ (z >> 31)
 * (all in unsigned 64-bit arithmetic).  Pure, portable, thread-safe.
 */
uint64_t ksp_match_lottery(uint64_t seed, int32_t student);

/*
 * The lottery number of the student with this id under seed: the SplitMix64
 * step above applied to seed XOR the 64-bit FNV-1a hash of the id's bytes.
 * Used whenever the instance has student ids.  Pure, portable, thread-safe.
 */
uint64_t ksp_match_lottery_id(uint64_t seed, const char *student_id);

/*
 * Compute the stable matching of a checked instance by deferred
 * acceptance with capacities: students propose (the student-optimal
 * stable matching) or places propose (the enterprise-optimal one).
 * Students propose in O(L log c) time for L choices in all and c the
 * largest capacity; places propose in O(L); ranking the students takes
 * O(n) more (a radix sort), and O(A log A) for the A applicants of
 * college and list places; when every place ranks by score and there is
 * no geographic rule, the proposals take O(L) (the students propose best
 * first: see lib/match/da.c).  Memory beyond the instance in that case:
 * 24 bytes per student and 4 per place of working memory, and the
 * result's 16 per student and 4 per place; list or college places, or a
 * geographic rule, add 4 bytes per choice, 1 bit per choice, 8 per seat
 * and 16 per place (places proposing: 12 more per choice).  The
 * working memory is allocated for the run and freed after it (see
 * ksp_match_run_ws() to keep it).  Fills *res (any previous
 * contents are not freed: pass an initialised or released result).
 * Errors: KSP_EUSAGE (instance not checked, bad options), KSP_EINVAL (a
 * geographic rule without the regions it needs).  On error *res is empty.
 */
int ksp_match_run(const struct ksp_match_instance *in, const struct ksp_match_options *opt,
		  struct ksp_match_result *res, struct ksp_error *err);

/*
 * A workspace: the working memory of runs, kept between them so that
 * repeated runs (several seeds, both sides, a benchmark) allocate and
 * touch their arrays once.  Opaque; one workspace serves one run at a
 * time (not thread-safe: one per thread).  ksp_match_workspace_free(NULL)
 * does nothing.
 */
struct ksp_match_workspace;
struct ksp_match_workspace *ksp_match_workspace_new(void);
void ksp_match_workspace_free(struct ksp_match_workspace *ws);

/*
 * ksp_match_run() with the working memory of ws, grown as needed and kept
 * for the next run.  res must be initialised (zeroed) or the result of an
 * earlier run: its arrays are reused when the instance has the same size,
 * else freed and allocated again.  Same result, same errors.
 */
int ksp_match_run_ws(const struct ksp_match_instance *in, const struct ksp_match_options *opt,
		     struct ksp_match_workspace *ws, struct ksp_match_result *res,
		     struct ksp_error *err);

/*
 * Allocate a blank result for the instance (every student unmatched, every
 * lottery number 0), for callers that read a stored run back: fill place[]
 * and lottery[], then call ksp_match_result_tally().
 */
void ksp_match_result_init(struct ksp_match_result *res, const struct ksp_match_instance *in);
/*
 * Recompute choice[] and filled[] from place[].  A place out of range or
 * not in the student's list gets choice 0 (ksp_match_verify() reports it).
 */
void ksp_match_result_tally(struct ksp_match_result *res, const struct ksp_match_instance *in);
/* Free the result's arrays and zero it.  Safe on a zeroed result. */
void ksp_match_result_release(struct ksp_match_result *res);

/* ---- verification ---------------------------------------------------------- */

enum ksp_match_violation_kind {
	KSP_VIOLATION_NONE = 0,
	KSP_VIOLATION_BAD_PLACE,    /* an assigned place index is out of range */
	KSP_VIOLATION_NOT_RANKED,   /* a student got a place they did not rank */
	KSP_VIOLATION_UNACCEPTABLE, /* a student got a place that does not accept them */
	KSP_VIOLATION_GEOGRAPHY,    /* a student got a place outside the geographic rule */
	KSP_VIOLATION_CAPACITY,     /* a place got more students than its capacity */
	KSP_VIOLATION_BLOCKING_FREE, /* blocking pair: the place has a free seat */
	KSP_VIOLATION_BLOCKING      /* blocking pair: the place prefers the student to one it got */
};

struct ksp_match_violation {
	int kind;            /* enum ksp_match_violation_kind */
	int32_t student;     /* -1 when it does not apply */
	int32_t place;       /* -1 when it does not apply */
	int32_t other;       /* BLOCKING: the admitted student the place likes less */
	long long count;     /* violations found in all (of every kind) */
	char text[384];      /* the first violation in words */
};

/*
 * Prove that res is a stable matching of the instance under the options:
 * every assignment is individually rational (the student ranked the place,
 * the place accepts the student, the geographic rule holds), no place is
 * over capacity, and there is no blocking pair (a student and a place that
 * the student ranks above what they got, that accepts them and has a free
 * seat or admitted someone it ranks lower).  Ties are broken with
 * res->lottery, as in the run.  The check evaluates the ranking rules
 * directly and shares no code with ksp_match_run()'s rank tables, so it is
 * an independent proof; it runs in O(L log E) time.
 *
 * Returns KSP_OK when all holds; KSP_EINVAL when not, with *v (may be NULL)
 * describing the first violation (students in index order; assignment and
 * capacity faults before blocking pairs) and counting all of them, and err
 * carrying v->text.  v->text is written in err's language
 * (ksp_error_use_lang(); English without err).  KSP_EUSAGE: unchecked instance, result of another size.
 */
int ksp_match_verify(const struct ksp_match_instance *in, const struct ksp_match_options *opt,
		     const struct ksp_match_result *res, struct ksp_match_violation *v,
		     struct ksp_error *err);

/* ---- cutoffs, explanations, statistics ------------------------------------ */

struct ksp_match_cutoff {
	int32_t capacity;
	int32_t filled;
	int32_t last;  /* the lowest-ranked admitted student (by the place's ranking), -1 none */
	int full;      /* filled >= capacity */
	double score;  /* last's score when full and last >= 0, else NAN ("no cutoff") */
};

/*
 * The cutoff of every place: out has in->nplaces entries (caller-owned).
 * Errors: KSP_EUSAGE as for verify; a result assigning a student to a
 * place out of range is KSP_EINVAL.
 */
int ksp_match_cutoffs(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		      struct ksp_match_cutoff *out, struct ksp_error *err);

/* The cutoffs of the places of one region (see ksp_match_cutoffs_by_region()). */
struct ksp_match_region_cutoff {
	int32_t region;     /* -1: places of unknown region */
	int32_t places;     /* places in the region */
	int32_t full;       /* of which full */
	long long capacity; /* their seats */
	long long filled;   /* seats taken */
	double lowest;      /* lowest cutoff score of its full places, NAN when none has one */
	double highest;     /* highest cutoff score of its full places, NAN when none */
};

/*
 * The cutoffs of ksp_match_cutoffs() (cut, in->nplaces entries) gathered by
 * the region of each place: out has in->nregions + 1 entries (caller-owned),
 * the last for places of unknown region.  A place without a cutoff (not
 * full, or full with no one) counts in places, capacity and filled but not
 * in lowest and highest.  Never fails; O(places + regions).
 */
void ksp_match_cutoffs_by_region(const struct ksp_match_instance *in,
				 const struct ksp_match_cutoff *cut,
				 struct ksp_match_region_cutoff *out);

/* Why a student did not get a place they ranked above the one they got. */
enum ksp_match_why_reason {
	KSP_WHY_FULL = 1,       /* full with students it ranks above you */
	KSP_WHY_NO_CAPACITY,    /* the place offers no seats (capacity 0) */
	KSP_WHY_NOT_ACCEPTABLE, /* the place's ranking does not include you */
	KSP_WHY_DISTANCE,       /* farther than the distance rule allows */
	KSP_WHY_REGION,         /* not in your region under the same-region rule */
	KSP_WHY_UNSTABLE        /* none of these: the result is not stable */
};

struct ksp_match_why {
	int32_t place;
	int32_t choice;   /* 1-based rank of the place in the student's list */
	int reason;       /* enum ksp_match_why_reason */
	int32_t above;    /* FULL: students admitted there whom it ranks above you */
	double cutoff;    /* FULL: the score of the lowest-ranked admitted student */
	int tie;          /* FULL: you had the cutoff score and lost on the lottery */
	double km;        /* DISTANCE: distance between the region centres */
	char text[512];   /* in the language asked for, e.g. "place full with 12 students
			     ranked above you; its cutoff was 74.5" */
};

struct ksp_match_explanation {
	int32_t student;
	int32_t place;  /* what they got, -1 none */
	int32_t choice; /* its 1-based rank in their list, 0 none */
	int32_t n;      /* items: one per place ranked above what they got, in list order */
	struct ksp_match_why *items;
	char summary[384]; /* in the language asked for: "got choice 3 on their list, place
			      \"E12/welding\"" */
};

/*
 * Explain one student's outcome: for every place they ranked above the one
 * they got (every place, when unmatched) why they did not get it.  The
 * summary and the texts are written in lang ("kk", "ru"; anything else,
 * NULL included, English) from the message catalogue (kasip/i18n.h), with
 * lang's number format; they are listed in docs/matching.md.  Programs
 * read the reason codes and figures, not the texts.  *out is filled and owns items;
 * free with ksp_match_explanation_release().  Errors: KSP_EUSAGE as for
 * verify, KSP_ENOTFOUND for a student out of range.  O(n + L) time.
 */
int ksp_match_explain(const struct ksp_match_instance *in, const struct ksp_match_options *opt,
		      const struct ksp_match_result *res, int32_t student, const char *lang,
		      struct ksp_match_explanation *out, struct ksp_error *err);
void ksp_match_explanation_release(struct ksp_match_explanation *ex);

/* Capacity and fill of a group of places; region/specialty -1 = unknown. */
struct ksp_match_stats_cell {
	int32_t region;
	int32_t specialty;
	long long places;   /* number of places (enterprise x specialty) */
	long long capacity;
	long long filled;   /* unfilled = capacity - filled */
};

struct ksp_match_stats {
	int32_t students;
	int32_t matched;
	int32_t empty_lists;   /* students who ranked nothing */
	double share_matched;  /* matched / students (0 when there are none) */
	double mean_choice;    /* mean 1-based rank received by the matched */
	int32_t max_choice;    /* length of rank_hist - 1 */
	int32_t *rank_hist;    /* [max_choice + 1]: [r] students got their r-th choice; [0] unmatched */
	long long capacity;
	long long filled;
	int32_t nregions;      /* by_region has nregions + 1 cells, the last for unknown */
	struct ksp_match_stats_cell *by_region;
	int32_t nspecialties;  /* by_specialty has nspecialties + 1 cells, the last for unknown */
	struct ksp_match_stats_cell *by_specialty;
	int32_t ncells;        /* one per (region, specialty) that has places, sorted */
	struct ksp_match_stats_cell *cells;
};

/*
 * Summary statistics of a result: share matched, the distribution of the
 * rank received, capacity and fill by region, by specialty and by both.
 * *st owns its arrays; free with ksp_match_stats_release().  Errors as for
 * ksp_match_cutoffs().
 */
int ksp_match_stats(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		    struct ksp_match_stats *st, struct ksp_error *err);
void ksp_match_stats_release(struct ksp_match_stats *st);

/* ---- synthetic instances --------------------------------------------------- */

struct ksp_match_gen_options {
	int32_t students;      /* required, >= 1 */
	int32_t enterprises;   /* required, >= 1 */
	uint64_t seed;
	int32_t choices;       /* places each student ranks; default 10 */
	int32_t specialties;   /* default 0: enterprises / 4, at most 100 */
	int32_t colleges;      /* default students / 190, at least 20 (108 k students in 552 colleges) */
	double capacity_ratio; /* seats / students; default 1.1 */
	double own_region;     /* share of choices in the student's region; default 0.8 */
	double college_rule;   /* share of places ranking by partner colleges; default 0.05 */
	int with_ids;          /* give every object an id (S0000001, ...); default 0 */
};

/* Defaults as documented above, with students = enterprises = 0. */
void ksp_match_gen_options_init(struct ksp_match_gen_options *g);

/*
 * Write a realistic synthetic instance into *in (initialised or released):
 * Kazakhstan's 20 regions with their centres; students spread over regions
 * like dual-training students; colleges in every region; specialties with
 * a Zipf popularity skew (demand more skewed than supply); enterprises of
 * Pareto-distributed size offering places in 1-4 specialties; scores
 * normal-ish in 0..100 with one decimal; choices mostly in the student's
 * own region and specialty, favouring appealing enterprises.  The same
 * options give the same instance on every machine (integer and IEEE
 * arithmetic only; see docs/matching.md).  The instance comes back checked.
 * Errors: KSP_EUSAGE (bad options), KSP_ETOOBIG (over a cap).
 */
int ksp_match_generate(struct ksp_match_instance *in, const struct ksp_match_gen_options *g,
		       struct ksp_error *err);

/*
 * Write an instance with ids as the CSV files `kasip import` reads, into
 * the existing directory dir: colleges.csv, enterprises.csv, places.csv,
 * students.csv, choices.csv, enterprise-rankings.csv (UTF-8, comma, LF).
 * Regions are written by id (KATO codes in a generated instance).  Every
 * object needs an id (ksp_match_generate() with with_ids): KSP_EUSAGE
 * otherwise.  KSP_EIO when a file cannot be written (the files written so
 * far stay).
 */
int ksp_match_write_csv(const struct ksp_match_instance *in, const char *dir,
			struct ksp_error *err);

/* ---- the database (tables of migrations 2 and 12, docs/matching.md) ------- */

struct ksp_store;

/*
 * Load the placement data from the store into *in (initialised or
 * released): regions with their centres, colleges, enterprises, places,
 * students with their choices, and enterprise rankings (a place's own
 * entries, else its enterprise's entries for all its places).  A place's
 * stored rule (place.rule, migration 12) is applied outright: 'list' or
 * 'college' with no entries accepts nobody; 'score' takes no enterprise
 * entries (entries naming the place are KSP_EINVAL); '' ranks by its
 * entries if any, else by score.  Objects are
 * numbered in byte order of their ids, so that the lottery of a seed
 * reaches the same students on every backend.  A student's region is their
 * own, else their college's.  The instance comes back checked.  Errors:
 * KSP_EDB, KSP_EINVAL (data the builder refuses: a place ranked twice, a
 * choice of another specialty, a place ranking both students and colleges,
 * a ranking naming an unknown student or college), KSP_ETOOBIG.  The
 * tables are read in one read transaction (one snapshot, holding no lock a
 * writer waits for), or in the caller's transaction when one is open.
 */
int ksp_match_load(struct ksp_store *s, struct ksp_match_instance *in, struct ksp_error *err);

/* A stored run. */
struct ksp_match_run_info {
	long long id;
	char created[32];             /* UTC, "2025-09-01T10:00:00Z" */
	struct ksp_match_options opt; /* proposing side, seed, rules */
};

/*
 * Store a run: a new match_run row (the next id) and one match_assignment
 * row per student, in one transaction (or inside the caller's, if one is
 * open), so that a failure stores nothing.  The seed must be at most
 * INT64_MAX (KSP_EUSAGE otherwise).  *info receives the id and time.
 * Errors: KSP_EDB, KSP_EUSAGE.
 */
int ksp_match_save_run(struct ksp_store *s, const struct ksp_match_instance *in,
		       const struct ksp_match_options *opt, const struct ksp_match_result *res,
		       struct ksp_match_run_info *info, struct ksp_error *err);

/*
 * Read run id (0: the latest) back against the instance loaded now: fills
 * *info and *res (initialised or released; free with
 * ksp_match_result_release()).  Errors: KSP_ENOTFOUND (no such run, no run
 * at all), KSP_ECONFLICT (the students changed since the run: one is
 * missing from either side; run the matching again), KSP_EDB, KSP_EINVAL
 * (a stored row that does not parse).
 */
int ksp_match_load_run(struct ksp_store *s, long long id, const struct ksp_match_instance *in,
		       struct ksp_match_run_info *info, struct ksp_match_result *res,
		       struct ksp_error *err);

/*
 * The stored runs, newest first, skipping offset, at most limit (0: 100):
 * their ids, times and options, without loading the instance.  *out is a
 * heap array the caller frees with free().  Errors: KSP_EDB, KSP_EINVAL (a
 * stored row that does not parse).
 */
int ksp_match_run_list(struct ksp_store *s, size_t offset, size_t limit,
		       struct ksp_match_run_info **out, size_t *n, struct ksp_error *err);

enum ksp_match_export_format { KSP_MATCH_CSV, KSP_MATCH_JSON, KSP_MATCH_XLSX };

/*
 * Export a run: CSV (one row per student: student, college, specialty,
 * score, lottery, place, enterprise, region, rank; rank and place empty
 * when unplaced), JSON (the run, its options and summary, the assignments
 * and every place with its fill and cutoff) or XLSX (sheets Assignments,
 * Places, Summary).  path NULL or "-" writes CSV and JSON to stdout; XLSX
 * needs a file.  Errors: KSP_EUSAGE (XLSX to stdout), KSP_EIO.
 */
int ksp_match_export(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		     const struct ksp_match_run_info *info, enum ksp_match_export_format fmt,
		     const char *path, struct ksp_error *err);

#ifdef __cplusplus
}
#endif
#endif
