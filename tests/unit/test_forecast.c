/*
 * test_forecast.c - the forecast engine on a world small enough to check on
 * paper (2 regions, 3 ages, 2 occupations), plus identities, additivity
 * across levels and the Monte Carlo's determinism on synthetic worlds.
 *
 * The hand world (docs/methodology.md, "A world to check by hand"):
 *   ages 0, 1, 2+ (open); everyone 100 per region x sex x age at t = 0;
 *   survival 0.9 at every age, 0.95 for births; fertility 0.5 at age 1;
 *   sex ratio at birth 1; internal migration +10 / -10 men aged 1 in
 *   regions 0 / 1 in year 1; external migration +4 women aged 2+ in
 *   region 0 in year 1.
 *   age groups: age 1 -> group 0, age 2+ -> group 1; participation
 *   0.8 men / 0.6 women in region 0, 0.5 in region 1; unemployment 0.1, 0.2.
 *   industries 0, 1 with employment (100, 50) and (60, 40); growth +10 % of
 *   industry 0 in year 1, -50 % of industry 1 in year 2; staffing
 *   (0.6, 0.4) and (0.2, 0.8); a project of 5 jobs in occupation 1,
 *   region 1, year 2.  Occupation o is in major group o.
 *   exits 0.1 at age 1, 0.3 at 2+; age tilt major 0 (1, 1), major 1 (1, 3);
 *   transfer rates 0.05, 0.1.  One TVET specialty: 20 and 10 graduates a
 *   year, entry 0.5, flexibility (0.25, 0.75).
 */
#include "harness.h"

#include <string.h>

#include "forecast/model.h"

#define EPS 1e-9

static void hand_world(struct ksp_fc_input *in)
{
	struct ksp_fc_dims d = { .nreg = 2, .nage = 3, .nyear = 3, .base_year = 2025,
				 .nind = 2, .nocc = 2, .nmajor = 2, .ngroup = 2, .nspec = 1 };
	const int A = 3, S = 2;

	ksp_fc_input_init(in, &d);
	for (int i = 0; i < 2 * S * A; i++) {
		in->pop0[i] = 100;
		in->surv[i] = 0.9;
	}
	for (int i = 0; i < 2 * S; i++)
		in->surv_birth[i] = 0.95;
	in->asfr[0 * A + 1] = 0.5;
	in->asfr[1 * A + 1] = 0.5;
	in->srb = 1.0;
	/* year 1: [t][r][s][a] */
	in->mig_int[((1 * 2 + 0) * S + 0) * A + 1] = 10;
	in->mig_int[((1 * 2 + 1) * S + 0) * A + 1] = -10;
	in->mig_ext[((1 * 2 + 0) * S + 1) * A + 2] = 4;

	in->age_group[0] = -1;
	in->age_group[1] = 0;
	in->age_group[2] = 1;
	for (int g = 0; g < 2; g++) {
		in->part[(0 * S + 0) * 2 + g] = 0.8;
		in->part[(0 * S + 1) * 2 + g] = 0.6;
		in->part[(1 * S + 0) * 2 + g] = 0.5;
		in->part[(1 * S + 1) * 2 + g] = 0.5;
	}
	in->unemp[0] = 0.1;
	in->unemp[1] = 0.2;

	in->emp_ind0[0] = 100;
	in->emp_ind0[1] = 50;
	in->emp_ind0[2] = 60;
	in->emp_ind0[3] = 40;
	in->growth[1 * 2 + 0] = 0.10;
	in->growth[2 * 2 + 1] = -0.50;
	in->staffing[0] = 0.6;
	in->staffing[1] = 0.4;
	in->staffing[2] = 0.2;
	in->staffing[3] = 0.8;
	in->projects[(2 * 2 + 1) * 2 + 1] = 5;

	for (int t = 0; t < 3; t++)
		for (int s = 0; s < S; s++) {
			in->exit_prob[(t * S + s) * A + 1] = 0.1;
			in->exit_prob[(t * S + s) * A + 2] = 0.3;
		}
	in->age_tilt[0] = 1;
	in->age_tilt[1] = 1;
	in->age_tilt[2] = 1;
	in->age_tilt[3] = 3;
	in->occ_major[0] = 0;
	in->occ_major[1] = 1;
	in->transfer_rate[0] = 0.05;
	in->transfer_rate[1] = 0.10;

	for (int t = 0; t < 3; t++) {
		in->graduates[t * 2 + 0] = 20;
		in->graduates[t * 2 + 1] = 10;
	}
	in->entry[0] = 0.5;
	in->spec_level[0] = KSP_FC_TVET;
	in->flex[0] = 0.25;
	in->flex[1] = 0.75;
}

/* The unit level of a world: the identity map. */
static int unit_level(struct ksp_fc_level *lv, const struct ksp_fc_input *in)
{
	int map[KSP_FC_MAX_OCC];

	for (int o = 0; o < in->d.nocc; o++)
		map[o] = o;
	return ksp_fc_level_init(lv, in, map, in->d.nocc, in->occ_major, NULL);
}

#define POP(b, t, r, s, a) ((b)->pop[((((t) * 2 + (r)) * 2) + (s)) * 3 + (a)])
#define CELL(arr, t, r, l) ((arr)[((t) * 2 + (r)) * 2 + (l)])

TEST(hand_input_is_valid)
{
	struct ksp_fc_input in;
	struct ksp_error err;

	hand_world(&in);
	CHECK_EQ_INT(ksp_fc_input_check(&in, &err), KSP_OK);
	/* a broken staffing row is refused with its name */
	in.staffing[0] = 0.7;
	CHECK_EQ_INT(ksp_fc_input_check(&in, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "staffing") != NULL);
	in.staffing[0] = 0.6;
	/* internal migration that does not sum to zero is refused */
	in.mig_int[((1 * 2 + 1) * 2 + 0) * 3 + 1] = -9;
	CHECK_EQ_INT(ksp_fc_input_check(&in, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "mig_int") != NULL);
	ksp_fc_input_release(&in);
}

TEST(hand_population)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_identity id;

	hand_world(&in);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	/* region 0, year 1: men aged 1 = 100*0.9 + 10; 2+ = 90 + 90 */
	CHECK_NEAR(POP(&b, 1, 0, 0, 1), 100.0, EPS);
	CHECK_NEAR(POP(&b, 1, 0, 0, 2), 180.0, EPS);
	CHECK_NEAR(POP(&b, 1, 0, 1, 1), 90.0, EPS);
	CHECK_NEAR(POP(&b, 1, 0, 1, 2), 184.0, EPS);
	/* births = 0.5 * (100 + 90) / 2 = 47.5; age 0 = 47.5 * 0.5 * 0.95 */
	CHECK_NEAR(b.births[1 * 2 + 0], 47.5, EPS);
	CHECK_NEAR(POP(&b, 1, 0, 0, 0), 22.5625, EPS);
	CHECK_NEAR(POP(&b, 1, 0, 1, 0), 22.5625, EPS);
	/* deaths = 6 * 10 + 47.5 * 0.05 */
	CHECK_NEAR(b.deaths[1 * 2 + 0], 62.375, EPS);
	CHECK_NEAR(b.pop_tot[1 * 2 + 0], 599.125, EPS);
	/* region 1 lost 10 men aged 1 */
	CHECK_NEAR(POP(&b, 1, 1, 0, 1), 80.0, EPS);
	CHECK_NEAR(b.pop_tot[1 * 2 + 1], 575.125, EPS);
	CHECK_NEAR(b.netmig_int[1 * 2 + 0], 10.0, EPS);
	CHECK_NEAR(b.netmig_int[1 * 2 + 1], -10.0, EPS);
	CHECK_NEAR(b.netmig_ext[1 * 2 + 0], 4.0, EPS);
	ksp_fc_check_identities(&b, NULL, &id);
	CHECK(id.population < 1e-9);
	CHECK(id.internal_migration < 1e-12);
	/* the responses: the external migrants alone, 4 women, survive at 0.9 */
	CHECK_NEAR(b.dpop_ext[1 * 2 + 0], 4.0, EPS);
	CHECK_NEAR(b.dpop_ext[2 * 2 + 0], 3.6, EPS);
	CHECK_NEAR(b.dpop_int[1 * 2 + 1], -10.0, EPS);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

TEST(hand_labour_force)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;

	hand_world(&in);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	/* t = 0: region 0 LF = 0.8*200 + 0.6*200 = 280, employed 252; region 1: 200, 160 */
	CHECK_NEAR(b.lf_tot[0], 280.0, EPS);
	CHECK_NEAR(b.emp_tot[0], 252.0, EPS);
	CHECK_NEAR(b.lf_tot[1], 200.0, EPS);
	CHECK_NEAR(b.emp_tot[1], 160.0, EPS);
	/* t = 1, region 0: men 0.8 * (100 + 180), women 0.6 * (90 + 184) */
	CHECK_NEAR(b.lf_tot[2], 0.8 * 280 + 0.6 * 274, EPS);
	/* workers among migrants: national employment rate of men 112/200, women 94/200 */
	CHECK_NEAR(b.work_int[1 * 2 + 0], 5.6, EPS);
	CHECK_NEAR(b.work_int[1 * 2 + 1], -5.6, EPS);
	CHECK_NEAR(b.work_ext[1 * 2 + 0], 1.88, EPS);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

TEST(hand_demand_and_replacement)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_result res;
	struct ksp_fc_draw dr;
	struct ksp_fc_identity id;

	hand_world(&in);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	CHECK_EQ_INT(unit_level(&lv, &in), KSP_OK);
	ksp_fc_result_init(&res, 3, 2, 2);
	ksp_fc_draw_central(&dr);
	ksp_fc_evaluate(&b, &lv, &dr, &res);

	/* demand: E = sum_i E_i S_i */
	CHECK_NEAR(CELL(res.demand, 0, 0, 0), 70.0, EPS);
	CHECK_NEAR(CELL(res.demand, 0, 0, 1), 80.0, EPS);
	CHECK_NEAR(CELL(res.demand, 0, 1, 0), 44.0, EPS);
	CHECK_NEAR(CELL(res.demand, 1, 0, 0), 76.0, EPS);
	CHECK_NEAR(CELL(res.demand, 1, 0, 1), 84.0, EPS);
	CHECK_NEAR(CELL(res.demand, 1, 1, 0), 47.6, EPS);
	CHECK_NEAR(CELL(res.demand, 2, 0, 0), 71.0, EPS);
	CHECK_NEAR(CELL(res.demand, 2, 0, 1), 64.0, EPS);
	/* the project adds 5 jobs in region 1, occupation 1, year 2 */
	CHECK_NEAR(CELL(res.demand, 2, 1, 1), 26.4 + 16 + 5, EPS);
	CHECK_NEAR(CELL(res.expansion, 1, 0, 0), 6.0, EPS);
	CHECK_NEAR(CELL(res.expansion, 2, 0, 1), -20.0, EPS);

	/* age mix of region 0 in year 1: the 2x2 IPF with odds ratio 3 gives
	   major 0 (45, 25), major 1 (30, 50); exit rates 12/70 and 18/80 */
	CHECK_NEAR(b.exit_major[(1 * 2 + 0) * 2 + 0], 12.0 / 70.0, 1e-9);
	CHECK_NEAR(b.exit_major[(1 * 2 + 0) * 2 + 1], 18.0 / 80.0, 1e-9);
	CHECK_NEAR(CELL(res.exits, 1, 0, 0), 12.0, 1e-7);
	CHECK_NEAR(CELL(res.exits, 1, 0, 1), 18.0, 1e-7);
	/* region 1: the exits add up to the supply side's 50*0.1 + 50*0.3 */
	CHECK_NEAR(CELL(res.exits, 1, 1, 0) + CELL(res.exits, 1, 1, 1), 20.0, 1e-7);
	CHECK_NEAR(CELL(res.transfers, 1, 0, 0), 3.5, EPS);
	CHECK_NEAR(CELL(res.transfers, 1, 0, 1), 8.0, EPS);
	CHECK_NEAR(CELL(res.openings, 1, 0, 0), 21.5, 1e-7);
	CHECK_NEAR(CELL(res.openings, 1, 0, 1), 30.0, 1e-7);

	/* supply, region 0, year 1 */
	CHECK_NEAR(CELL(res.graduates, 1, 0, 0), 2.5, EPS);
	CHECK_NEAR(CELL(res.graduates, 1, 0, 1), 7.5, EPS);
	CHECK_NEAR(CELL(res.graduates, 1, 1, 1), 3.75, EPS);
	CHECK_NEAR(CELL(res.migrants, 1, 0, 0), 7.48 * 70 / 150, EPS);
	CHECK_NEAR(CELL(res.migrants, 1, 0, 1), 7.48 * 80 / 150, EPS);
	CHECK_NEAR(CELL(res.transfers_in, 1, 0, 0), 3.5, EPS);
	CHECK_NEAR(CELL(res.transfers_in, 1, 0, 1), 8.0, EPS);
	/* internal migrant workers sum to zero over the regions */
	CHECK_NEAR(CELL(res.migrants, 1, 1, 0) + CELL(res.migrants, 1, 1, 1), -5.6, EPS);
	CHECK_NEAR(CELL(res.new_supply, 1, 0, 0), 2.5 + 7.48 * 70 / 150 + 3.5, EPS);
	CHECK_NEAR(CELL(res.balance, 1, 0, 0), 2.5 + 7.48 * 70 / 150 + 3.5 - 21.5,
		   1e-7);
	CHECK_NEAR(CELL(res.shortage, 1, 0, 0),
		   -(2.5 + 7.48 * 70 / 150 + 3.5 - 21.5) / 76.0, 1e-9);
	/* other entrants, region 0, year 1: employed 252 -> 0.9 (0.8*280 + 0.6*274) =
	   349.56, plus the supply side's exits 126*0.1 + 126*0.3 = 50.4, less 10
	   graduates and 7.48 migrant workers = 130.48, spread by E[t-1] */
	CHECK_NEAR(b.exit_sup[1 * 2 + 0], 50.4, 1e-9);
	CHECK_NEAR(CELL(res.other_entrants, 1, 0, 0), 130.48 * 70 / 150, 1e-7);
	CHECK_NEAR(CELL(res.other_entrants, 1, 0, 0) + CELL(res.other_entrants, 1, 0, 1), 130.48,
		   1e-7);
	/* shortfall of region 0 in year 1: gaps 21.5 - 9.490667 and 30 - 19.489333,
	   both positive: 22.52 of 160 */
	CHECK_NEAR(ksp_fc_shortfall(&res, 1, 0, NULL), 22.52 / 160.0, 1e-9);

	ksp_fc_check_identities(&b, &res, &id);
	CHECK(id.openings < 1e-12);
	CHECK(id.balance < 1e-12);

	ksp_fc_result_release(&res);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

/*
 * The labour reserve on the hand world: region 0 has 280 in the labour force
 * and 252 employed in the base year, so 28 unemployed, plus 10 outside the
 * labour force who would take a job: 38; region 1 has 200 and 160, so 40.
 * Half of what is left is drawn each year: 19 then 9.5, and 20 then 10,
 * spread over the occupations by E[t-1] (70 and 80 of 150 in region 0).
 */
TEST(hand_labour_reserve)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_result res, plain;
	struct ksp_fc_draw dr;
	struct ksp_error err;

	hand_world(&in);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	CHECK_EQ_INT(unit_level(&lv, &in), KSP_OK);
	ksp_fc_draw_central(&dr);
	ksp_fc_result_init(&plain, 3, 2, 2);
	ksp_fc_evaluate(&b, &lv, &dr, &plain);
	/* no draw: no reserve, new supply as before */
	CHECK_NEAR(b.reserve_stock[0], 28.0, 1e-9);
	CHECK(b.reserve[1 * 2 + 0] == 0);
	CHECK(CELL(plain.reserve, 1, 0, 0) == 0);
	ksp_fc_base_release(&b);

	in.reserve0[0] = 10;
	in.reserve_draw = 0.5;
	CHECK_EQ_INT(ksp_fc_input_check(&in, &err), KSP_OK);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	CHECK_NEAR(b.reserve_stock[0], 38.0, 1e-9);
	CHECK_NEAR(b.reserve_stock[1], 40.0, 1e-9);
	CHECK(b.reserve[0] == 0 && b.reserve[1] == 0);
	CHECK_NEAR(b.reserve[1 * 2 + 0], 19.0, 1e-9);
	CHECK_NEAR(b.reserve[2 * 2 + 0], 9.5, 1e-9);
	CHECK_NEAR(b.reserve[1 * 2 + 1], 20.0, 1e-9);
	CHECK_NEAR(b.reserve[2 * 2 + 1], 10.0, 1e-9);
	ksp_fc_result_init(&res, 3, 2, 2);
	ksp_fc_evaluate(&b, &lv, &dr, &res);
	CHECK_NEAR(CELL(res.reserve, 1, 0, 0), 19.0 * 70 / 150, 1e-9);
	CHECK_NEAR(CELL(res.reserve, 1, 0, 1), 19.0 * 80 / 150, 1e-9);
	CHECK_NEAR(CELL(res.reserve, 1, 1, 0) + CELL(res.reserve, 1, 1, 1), 20.0, 1e-9);
	CHECK_NEAR(CELL(res.reserve, 2, 0, 0) + CELL(res.reserve, 2, 0, 1), 9.5, 1e-9);
	/* new supply and balance gain exactly the reserve; openings, other entrants unchanged */
	CHECK_NEAR(CELL(res.new_supply, 1, 0, 0), 2.5 + 7.48 * 70 / 150 + 19.0 * 70 / 150 + 3.5,
		   1e-9);
	for (int c = 0; c < 3 * 2 * 2; c++) {
		CHECK_NEAR(res.new_supply[c] - plain.new_supply[c], res.reserve[c], 1e-9);
		CHECK_NEAR(res.balance[c] - plain.balance[c], res.reserve[c], 1e-9);
		CHECK(res.openings[c] == plain.openings[c]);
		CHECK(res.other_entrants[c] == plain.other_entrants[c]);
	}
	/* a draw outside 0..1 is refused */
	in.reserve_draw = 1.5;
	CHECK_EQ_INT(ksp_fc_input_check(&in, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "reserve_draw") != NULL);

	ksp_fc_result_release(&res);
	ksp_fc_result_release(&plain);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

/*
 * The ministry's need on the hand world (docs/methodology.md, "The
 * ministry's need"): of the exit probabilities 0.1 at age 1 and 0.3 at 2+,
 * 0.05 at every age is death and 0.2 at 2+ is retirement.  Region 0,
 * year 1: the age mix (45, 25) and (30, 50) gives retirements 25 * 0.2 +
 * 50 * 0.2 = 15 of the 30 exits, deaths 150 * 0.05 = 7.5, expansion 6 + 4 =
 * 10, need 25.  Region 1: 50 employed of each age group (scaled to demand
 * 100): retirements 10, deaths 5; expansion 3.6 + 2.4 = 6, need 16.
 */
TEST(hand_need_retirements_and_deaths)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_result res;
	struct ksp_fc_draw dr;
	struct ksp_error err;
	double ret, dth, ed, ex;

	hand_world(&in);
	for (int t = 0; t < 3; t++)
		for (int s = 0; s < 2; s++) {
			in.exit_death[(t * 2 + s) * 3 + 1] = 0.05;
			in.exit_death[(t * 2 + s) * 3 + 2] = 0.05;
			in.exit_retire[(t * 2 + s) * 3 + 2] = 0.2;
		}
	CHECK_EQ_INT(ksp_fc_input_check(&in, &err), KSP_OK);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	CHECK_EQ_INT(unit_level(&lv, &in), KSP_OK);
	ksp_fc_result_init(&res, 3, 2, 2);
	ksp_fc_draw_central(&dr);
	ksp_fc_evaluate(&b, &lv, &dr, &res);

	CHECK_NEAR(b.exit_major_retire[(1 * 2 + 0) * 2 + 0], 5.0 / 70.0, 1e-9);
	CHECK_NEAR(b.exit_major_retire[(1 * 2 + 0) * 2 + 1], 10.0 / 80.0, 1e-9);
	CHECK_NEAR(b.exit_major_death[(1 * 2 + 0) * 2 + 0], 0.05, 1e-9);
	ksp_fc_exits_by_cause(&b, &lv, &dr, &res, 1, 0, &ret, &dth);
	CHECK_NEAR(ret, 15.0, 1e-7);
	CHECK_NEAR(dth, 7.5, 1e-7);
	ed = CELL(res.expansion, 1, 0, 0) + CELL(res.expansion, 1, 0, 1);
	ex = CELL(res.exits, 1, 0, 0) + CELL(res.exits, 1, 0, 1);
	CHECK_NEAR(ed, 10.0, EPS);
	CHECK_NEAR(ed + ret, 25.0, 1e-7);
	/* the other exits: 75 * 0.05 at age 1 and 75 * 0.05 at 2+ */
	CHECK_NEAR(ex - ret - dth, 7.5, 1e-7);
	ksp_fc_exits_by_cause(&b, &lv, &dr, &res, 1, 1, &ret, NULL);
	CHECK_NEAR(ret, 10.0, 1e-7);
	ksp_fc_exits_by_cause(&b, &lv, &dr, &res, 1, 1, NULL, &dth);
	CHECK_NEAR(dth, 5.0, 1e-7);
	CHECK_NEAR(CELL(res.expansion, 1, 1, 0) + CELL(res.expansion, 1, 1, 1) + ret, 16.0, 1e-7);
	/* the exit multiplier scales every cause as it scales the exits */
	dr.exit_mult = 2;
	ksp_fc_evaluate(&b, &lv, &dr, &res);
	ksp_fc_exits_by_cause(&b, &lv, &dr, &res, 1, 0, &ret, &dth);
	CHECK_NEAR(ret, 30.0, 1e-7);
	CHECK_NEAR(dth, 15.0, 1e-7);
	CHECK_NEAR(CELL(res.exits, 1, 0, 0) + CELL(res.exits, 1, 0, 1), 60.0, 1e-7);
	/* parts larger than the whole are refused */
	in.exit_retire[(1 * 2 + 0) * 3 + 2] = 0.26;
	CHECK_EQ_INT(ksp_fc_input_check(&in, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "exit_retire") != NULL);

	ksp_fc_result_release(&res);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

/*
 * Graduates where they will work, by hand: 2 regions, a TVET and a higher
 * specialty.  TVET graduates of region 0 work 0.8 there and 0.2 in region 1;
 * higher graduates of region 1 work half in each.  Graduates (100, 40) in
 * region 0 and (50, 60) in region 1 become (80, 70) and (70, 30); with entry
 * rates 0.5 and 0.75 region 0 gains 0.5 * -20 + 0.75 * 30 = 12.5 graduates
 * entering work, which the internal migrants who work lose.
 */
TEST(graduates_to_work_by_hand)
{
	struct ksp_fc_input in;
	struct ksp_fc_dims d = { .nreg = 2, .nage = 3, .nyear = 2, .base_year = 2025,
				 .nind = 1, .nocc = 1, .nmajor = 1, .ngroup = 1, .nspec = 2 };
	/* [lev][r][w] */
	const double dest[8] = { 0.8, 0.2, 0, 1, 1, 0, 0.5, 0.5 };

	ksp_fc_input_init(&in, &d);
	in.spec_level[0] = KSP_FC_TVET;
	in.spec_level[1] = KSP_FC_HIGHER;
	in.entry[0] = 0.5;
	in.entry[1] = 0.75;
	for (int t = 0; t < 2; t++) {
		in.graduates[(t * 2 + 0) * 2 + 0] = 100;
		in.graduates[(t * 2 + 0) * 2 + 1] = 40;
		in.graduates[(t * 2 + 1) * 2 + 0] = 50;
		in.graduates[(t * 2 + 1) * 2 + 1] = 60;
	}
	ksp_fc_graduates_to_work(&in, dest);
	for (int t = 0; t < 2; t++) {
		CHECK_NEAR(in.graduates[(t * 2 + 0) * 2 + 0], 80, 1e-12);
		CHECK_NEAR(in.graduates[(t * 2 + 0) * 2 + 1], 70, 1e-12);
		CHECK_NEAR(in.graduates[(t * 2 + 1) * 2 + 0], 70, 1e-12);
		CHECK_NEAR(in.graduates[(t * 2 + 1) * 2 + 1], 30, 1e-12);
		CHECK_NEAR(in.work_int_adj[t * 2 + 0], -12.5, 1e-12);
		CHECK_NEAR(in.work_int_adj[t * 2 + 1], 12.5, 1e-12);
	}
	ksp_fc_input_release(&in);
}

/*
 * On the hand world, half of region 0's graduates working in region 1
 * moves graduates and migrants between the cells but keeps each region's
 * new supply and other entrants: the migration balances already hold the
 * graduates' moves.
 */
TEST(graduates_to_work_keep_the_regions_supply)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b0, b1;
	struct ksp_fc_level lv;
	struct ksp_fc_result r0, r1;
	struct ksp_fc_draw dr;
	const double dest[8] = { 0.5, 0.5, 0, 1, 1, 0, 0, 1 };

	hand_world(&in);
	CHECK_EQ_INT(unit_level(&lv, &in), KSP_OK);
	ksp_fc_draw_central(&dr);
	ksp_fc_base_init(&b0, &in);
	ksp_fc_prepare(&b0);
	ksp_fc_result_init(&r0, 3, 2, 2);
	ksp_fc_evaluate(&b0, &lv, &dr, &r0);
	ksp_fc_level_release(&lv);

	ksp_fc_graduates_to_work(&in, dest);
	/* 20 and 10 graduates a year become 10 and 20; 5 entering work move */
	CHECK_NEAR(in.graduates[1 * 2 + 0], 10, 1e-12);
	CHECK_NEAR(in.graduates[1 * 2 + 1], 20, 1e-12);
	CHECK_NEAR(in.work_int_adj[1 * 2 + 0], 5, 1e-12);
	CHECK_NEAR(in.work_int_adj[1 * 2 + 1], -5, 1e-12);
	CHECK_EQ_INT(unit_level(&lv, &in), KSP_OK);
	ksp_fc_base_init(&b1, &in);
	ksp_fc_prepare(&b1);
	ksp_fc_result_init(&r1, 3, 2, 2);
	ksp_fc_evaluate(&b1, &lv, &dr, &r1);
	CHECK_NEAR(CELL(r1.graduates, 1, 0, 0) + CELL(r1.graduates, 1, 0, 1), 5, 1e-9);
	CHECK_NEAR(CELL(r1.graduates, 1, 1, 0) + CELL(r1.graduates, 1, 1, 1), 10, 1e-9);
	for (int t = 1; t < 3; t++)
		for (int r = 0; r < 2; r++) {
			double n0 = 0, n1 = 0, o0 = 0, o1 = 0, m0 = 0, m1 = 0;

			for (int l = 0; l < 2; l++) {
				n0 += CELL(r0.new_supply, t, r, l);
				n1 += CELL(r1.new_supply, t, r, l);
				o0 += CELL(r0.other_entrants, t, r, l);
				o1 += CELL(r1.other_entrants, t, r, l);
				m0 += CELL(r0.migrants, t, r, l);
				m1 += CELL(r1.migrants, t, r, l);
			}
			CHECK_NEAR(n1, n0, 1e-9);
			CHECK_NEAR(o1, o0, 1e-9);
			CHECK_NEAR(m1 - m0, r == 0 ? 5 : -5, 1e-9);
		}
	ksp_fc_result_release(&r0);
	ksp_fc_result_release(&r1);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b0);
	ksp_fc_base_release(&b1);
	ksp_fc_input_release(&in);
}

TEST(openings_without_floor)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_result res;
	struct ksp_fc_draw dr;

	hand_world(&in);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	unit_level(&lv, &in);
	ksp_fc_result_init(&res, 3, 2, 2);
	ksp_fc_draw_central(&dr);
	ksp_fc_evaluate(&b, &lv, &dr, &res);
	/* occupation 1 in region 0 shrinks by 20 in year 2 and still has openings
	   below its separations: separations / openings > 1 <=> expansion < 0 */
	for (int t = 1; t < 3; t++)
		for (int r = 0; r < 2; r++)
			for (int l = 0; l < 2; l++) {
				double sep = CELL(res.exits, t, r, l) + CELL(res.transfers, t, r, l);
				double jo = CELL(res.openings, t, r, l);

				if (jo > 0)
					CHECK((sep / jo > 1) == (CELL(res.expansion, t, r, l) < 0));
			}
	CHECK(CELL(res.openings, 2, 0, 1) < CELL(res.exits, 2, 0, 1) + CELL(res.transfers, 2, 0, 1));
	ksp_fc_result_release(&res);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

TEST(clamped_emigration_keeps_identity)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_identity id;

	hand_world(&in);
	/* 500 women aged 2+ leave region 1 abroad: only 180 are there */
	in.mig_ext[((1 * 2 + 1) * 2 + 1) * 3 + 2] = -500;
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	CHECK_NEAR(POP(&b, 1, 1, 1, 2), 0.0, EPS);
	CHECK_NEAR(b.clamped[1 * 2 + 1], 320.0, EPS);
	CHECK_NEAR(b.netmig_ext[1 * 2 + 1], -180.0, EPS);
	ksp_fc_check_identities(&b, NULL, &id);
	CHECK(id.population < 1e-9);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

/* ---- synthetic worlds ------------------------------------------------------ */

static void synth(struct ksp_fc_input *in, int R, int A, int T, int I, int O, int M, int K,
		  uint64_t seed)
{
	struct ksp_fc_dims d = { .nreg = R, .nage = A, .nyear = T, .base_year = 2025, .nind = I,
				 .nocc = O, .nmajor = M, .ngroup = 6, .nspec = K };

	ksp_fc_input_init(in, &d);
	ksp_fc_synth_world(in, seed);
}

TEST(synthetic_world_identities)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_result res;
	struct ksp_fc_draw dr;
	struct ksp_fc_identity id;
	struct ksp_error err;

	synth(&in, 5, 101, 11, 7, 40, 4, 6, 7);
	CHECK_EQ_INT(ksp_fc_input_check(&in, &err), KSP_OK);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	unit_level(&lv, &in);
	ksp_fc_result_init(&res, 11, 5, 40);
	ksp_fc_draw_central(&dr);
	ksp_fc_evaluate(&b, &lv, &dr, &res);
	ksp_fc_check_identities(&b, &res, &id);
	CHECK(id.population < 1e-6);
	CHECK(id.internal_migration < 1e-6);
	CHECK(id.openings < 1e-6);
	CHECK(id.balance < 1e-6);
	/* the totals of population are the sum of the cells */
	for (int t = 0; t < 11; t++) {
		double s = 0;

		for (int i = 0; i < 5 * 2 * 101; i++)
			s += b.pop[(size_t)t * 5 * 2 * 101 + i];
		CHECK_NEAR(s, b.pop_tot[t * 5 + 0] + b.pop_tot[t * 5 + 1] + b.pop_tot[t * 5 + 2] +
				      b.pop_tot[t * 5 + 3] + b.pop_tot[t * 5 + 4],
			   1e-6);
	}
	/* scaling migration by linearity agrees with a full projection */
	{
		double *pop = calloc((size_t)11 * 5 * 2 * 101, sizeof(double));

		ksp_fc_population_project(&in, in.pop0, 0.5, 2.0, 1, pop, NULL, NULL, NULL, NULL,
					  NULL);
		for (int r = 0; r < 5; r++) {
			double s = 0, lin;

			for (int i = 0; i < 2 * 101; i++)
				s += pop[((size_t)10 * 5 + r) * 2 * 101 + i];
			lin = b.pop_tot[10 * 5 + r] + (2.0 - 1) * b.dpop_ext[10 * 5 + r] +
			      (0.5 - 1) * b.dpop_int[10 * 5 + r];
			CHECK_NEAR(s, lin, 1e-6 * s);
		}
		free(pop);
	}
	ksp_fc_result_release(&res);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

TEST(additive_across_levels_and_regions)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level unit, coarse;
	struct ksp_fc_result ru, rc;
	struct ksp_fc_draw dr;
	const int R = 4, O = 40, M = 4, T = 11, NL = 12;
	int map[40], major[12];
	double worst = 0, worst_sf;

	synth(&in, R, 101, T, 6, O, M, 5, 11);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	/* groups of 3 or 4 consecutive occupations inside each major group of 10 */
	for (int o = 0; o < O; o++) {
		int m = o / 10, w = o % 10;

		map[o] = m * 3 + (w < 3 ? 0 : w < 6 ? 1 : 2);
		major[map[o]] = m;
	}
	CHECK_EQ_INT(unit_level(&unit, &in), KSP_OK);
	CHECK_EQ_INT(ksp_fc_level_init(&coarse, &in, map, NL, major, NULL), KSP_OK);
	ksp_fc_result_init(&ru, T, R, O);
	ksp_fc_result_init(&rc, T, R, NL);
	ksp_fc_draw_central(&dr);
	ksp_fc_evaluate(&b, &unit, &dr, &ru);
	ksp_fc_evaluate(&b, &coarse, &dr, &rc);
	for (int t = 0; t < T; t++)
		for (int r = 0; r < R; r++)
			for (int l = 0; l < NL; l++) {
				const double *um[] = { ru.demand, ru.openings, ru.exits, ru.transfers,
						       ru.new_supply, ru.balance, ru.graduates };
				const double *cm[] = { rc.demand, rc.openings, rc.exits, rc.transfers,
						       rc.new_supply, rc.balance, rc.graduates };

				for (int k = 0; k < 7; k++) {
					double s = 0, v = cm[k][((size_t)t * R + r) * NL + l];

					for (int o = 0; o < O; o++)
						if (map[o] == l)
							s += um[k][((size_t)t * R + r) * O + o];
					if (fabs(s - v) / (fabs(v) + 1) > worst)
						worst = fabs(s - v) / (fabs(v) + 1);
				}
			}
	CHECK(worst < 1e-12);
	/* regions add up to the country: the national shortfall's net part is
	   the demand-weighted sum of the regions' */
	{
		double net, dem = 0, sum = 0;

		ksp_fc_shortfall(&ru, T - 1, -1, &net);
		for (int r = 0; r < R; r++) {
			double nr, d = ru.demand_tot[(size_t)(T - 1) * R + r];

			ksp_fc_shortfall(&ru, T - 1, r, &nr);
			sum += nr * d;
			dem += d;
		}
		CHECK_NEAR(net, sum / dem, 1e-12);
	}
	/* the gross shortfall can only fall when groups are merged */
	worst_sf = ksp_fc_shortfall(&rc, T - 1, -1, NULL);
	CHECK(worst_sf <= ksp_fc_shortfall(&ru, T - 1, -1, NULL) + 1e-15);
	ksp_fc_result_release(&ru);
	ksp_fc_result_release(&rc);
	ksp_fc_level_release(&unit);
	ksp_fc_level_release(&coarse);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

TEST(level_map_is_checked)
{
	struct ksp_fc_input in;
	struct ksp_fc_level lv;
	struct ksp_error err;
	int map[2] = { 0, 0 }, major[1] = { 0 };

	hand_world(&in);
	/* occupations of two major groups cannot share a group */
	CHECK_EQ_INT(ksp_fc_level_init(&lv, &in, map, 1, major, &err), KSP_EINVAL);
	ksp_fc_input_release(&in);
}

/* ---- deterministic maths and the generator ------------------------------------ */

TEST(detmath_matches_libm)
{
	double worst = 0;

	for (double x = -30; x <= 30; x += 0.0137) {
		double e = fabs(ksp_fc_exp(x) - exp(x)) / exp(x);

		if (e > worst)
			worst = e;
	}
	CHECK(worst < 1e-15);
	worst = 0;
	for (double x = 1e-8; x < 1e8; x *= 1.37) {
		double e = fabs(ksp_fc_log(x) - log(x)) / (fabs(log(x)) + 1e-300);

		if (fabs(log(x)) > 1e-3 && e > worst)
			worst = e;
	}
	CHECK(worst < 1e-15);
	CHECK(ksp_fc_log(1.0) == 0.0);
	CHECK(ksp_fc_exp(0.0) == 1.0);
}

TEST(generator_reference_values)
{
	uint64_t st = 0;
	struct ksp_fc_rng g;
	double z;

	/* splitmix64 from state 0: the published first output */
	CHECK(ksp_fc_splitmix64(&st) == 0xe220a8397b1dcdafULL);
	/* golden values of this implementation: any machine must give these bits */
	ksp_fc_rng_seed(&g, 42);
	CHECK(ksp_fc_rng_next(&g) == UINT64_C(0x15780b2e0c2ec716));
	z = ksp_fc_rng_normal(&g);
	CHECK(memcmp(&z, &(double){ -0x1.04ff9bfe3c5b2p+0 }, sizeof(double)) == 0);
}

TEST(quantile_type7)
{
	float x[10] = { 7, 3, 10, 1, 5, 2, 9, 4, 8, 6 };

	CHECK_NEAR(ksp_fc_quantile(x, 10, 0.1), 1.9, 1e-6);
	CHECK_NEAR(ksp_fc_quantile(x, 10, 0.5), 5.5, 1e-6);
	CHECK_NEAR(ksp_fc_quantile(x, 10, 0.9), 9.1, 1e-6);
	CHECK_NEAR(ksp_fc_quantile(x, 10, 1.0), 10, 0);
	CHECK_NEAR(ksp_fc_quantile(x, 10, 0.0), 1, 0);
}

static const struct ksp_fc_uncertain uncertain[] = {
	{ KSP_FC_T_GROWTH, 0, KSP_FC_NORMAL, 0, 0.01 },
	{ KSP_FC_T_GROWTH, 3, KSP_FC_NORMAL, 0, 0.02 },
	{ KSP_FC_T_EXIT, 0, KSP_FC_LOGNORMAL, 0, 0.1 },
	{ KSP_FC_T_TRANSFER, 0, KSP_FC_LOGNORMAL, 0, 0.2 },
	{ KSP_FC_T_ENTRY, KSP_FC_TVET, KSP_FC_NORMAL, 1, 0.1 },
	{ KSP_FC_T_MIG_EXT, 0, KSP_FC_NORMAL, 1, 0.5 },
	{ KSP_FC_T_MIG_INT, 0, KSP_FC_UNIFORM, 0.5, 1.5 },
};

TEST(montecarlo_is_deterministic)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_bands b1, b2, b3, b4, b5;
	struct ksp_error err;
	const int R = 3, O = 20, T = 6, NU = (int)(sizeof(uncertain) / sizeof(uncertain[0]));
	size_t ncell = (size_t)3 * KSP_FC_NBAND * T * (R + 1) * O; /* regions and the country */
	size_t ntot = (size_t)3 * KSP_FC_NTOT * T * (R + 1);

	synth(&in, R, 101, T, 5, O, 4, 4, 3);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	unit_level(&lv, &in);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, uncertain, NU, 50, 42, NULL, (size_t)1 << 30, &b1, &err),
		     KSP_OK);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, uncertain, NU, 50, 42, NULL, (size_t)1 << 30, &b2, &err),
		     KSP_OK);
	/* a memory cap forces several passes over the years: same numbers.  The cap
	   holds the carried demand (4 x draws x groups doubles), a region-year and
	   here two country-years of bands (draws x 4 x groups floats each) */
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, uncertain, NU, 50, 42, NULL,
				       (size_t)4 * 50 * O * 8 + (size_t)3 * 50 * 4 * O * 4, &b3, &err),
		     KSP_OK);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, uncertain, NU, 50, 43, NULL, (size_t)1 << 30, &b4, &err),
		     KSP_OK);
	CHECK_EQ_INT(b1.passes, 1);
	CHECK_EQ_INT(b3.passes, 3);
	CHECK(memcmp(b1.cell, b2.cell, ncell * sizeof(float)) == 0);
	CHECK(memcmp(b1.total, b2.total, ntot * sizeof(float)) == 0);
	CHECK(memcmp(b1.cell, b3.cell, ncell * sizeof(float)) == 0);
	CHECK(memcmp(b1.total, b3.total, ntot * sizeof(float)) == 0);
	CHECK(memcmp(b1.shortfall, b3.shortfall, 3 * T * sizeof(double)) == 0);
	CHECK(memcmp(b1.cell, b4.cell, ncell * sizeof(float)) != 0);
	/* bands are ordered */
	for (size_t i = 0; i < ncell / 3; i++)
		CHECK(b1.cell[i] <= b1.cell[ncell / 3 + i] && b1.cell[ncell / 3 + i] <= b1.cell[2 * ncell / 3 + i]);
	/* bands of the last year only: the same numbers there, NAN elsewhere */
	{
		unsigned char by[6] = { 0, 0, 0, 0, 0, 1 };
		struct ksp_fc_bands b6;
		size_t per_t = (size_t)(R + 1) * O, per_band = (size_t)T * per_t;
		int same = 1, nan = 1;

		CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, uncertain, NU, 50, 42, by, (size_t)1 << 30,
					       &b6, &err),
			     KSP_OK);
		for (size_t qb = 0; qb < 3 * KSP_FC_NBAND; qb++)
			for (size_t c = 0; c < per_t; c++) {
				size_t last = qb * per_band + 5 * per_t + c, first = qb * per_band + c;

				same &= b6.cell[last] == b1.cell[last];
				nan &= isnan(b6.cell[first]);
			}
		CHECK(same);
		CHECK(nan);
		CHECK(memcmp(b1.total, b6.total, ntot * sizeof(float)) == 0);
		ksp_fc_bands_release(&b6);
	}
	/* a cap too small for one year is a usage error */
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, uncertain, NU, 50, 42, NULL, 1000, &b5, &err) == KSP_OK, 0);
	ksp_fc_bands_release(&b1);
	ksp_fc_bands_release(&b2);
	ksp_fc_bands_release(&b3);
	ksp_fc_bands_release(&b4);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

TEST(montecarlo_fixed_parameters_give_the_central_run)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_bands bd;
	struct ksp_fc_result res;
	struct ksp_fc_draw dr;
	struct ksp_fc_uncertain fixed[] = { { KSP_FC_T_EXIT, 0, KSP_FC_FIXED, 1, 0 } };
	const int R = 2, O = 10, T = 4;
	double worst = 0;

	synth(&in, R, 101, T, 4, O, 2, 3, 5);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	unit_level(&lv, &in);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, fixed, 1, 5, 1, NULL, (size_t)1 << 28, &bd, NULL), KSP_OK);
	ksp_fc_result_init(&res, T, R, O);
	ksp_fc_draw_central(&dr);
	ksp_fc_evaluate(&b, &lv, &dr, &res);
	for (int t = 0; t < T; t++)
		for (int r = 0; r < R; r++)
			for (int l = 0; l < O; l++)
				for (int q = 0; q < 3; q++) {
					size_t i = ((size_t)t * R + r) * O + l;
					double d1 = fabs(ksp_fc_band_cell(&bd, q, KSP_FC_BAND_DEMAND, t, r, l) -
							 (float)res.demand[i]);
					double d2 = fabs(ksp_fc_band_cell(&bd, q, KSP_FC_BAND_BALANCE, t, r, l) -
							 (float)res.balance[i]);

					if (d1 > worst)
						worst = d1;
					if (d2 > worst)
						worst = d2;
				}
	CHECK(worst == 0);
	CHECK_NEAR(bd.shortfall[0 * T + T - 1], ksp_fc_shortfall(&res, T - 1, -1, NULL), 1e-6);
	ksp_fc_result_release(&res);
	ksp_fc_bands_release(&bd);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

/*
 * The Monte Carlo's bucket selection against the plain type-7 quantile, bit
 * for bit, on columns made to hit its corners: normal draws, ties (a few
 * values), a crowded middle with far outliers (the fallback), signed zeros,
 * sorted and reversed columns, and every length from 1 to 40.
 */
TEST(bucket_quantiles_match_type7)
{
	struct ksp_fc_rng g;
	float x[1200], a[1200], b[1200];
	int bad = 0, cases = 0;

	ksp_fc_rng_seed(&g, 5);
	for (int kind = 0; kind < 7; kind++)
		for (int n = 1; n <= 1200; n += n < 40 ? 1 : 389) {
			const double p[3] = { 0.1, 0.5, 0.9 };
			float got[3];

			for (int i = 0; i < n; i++) {
				double z = ksp_fc_rng_normal(&g);

				switch (kind) {
				case 0: x[i] = (float)(1000 + 100 * z); break;
				case 1: x[i] = (float)((int)(ksp_fc_rng_uniform(&g) * 4)); break;
				case 2: x[i] = i % 50 == 0 ? (float)(1e9 * z) : (float)(1 + 1e-6 * z); break;
				case 3: x[i] = i % 3 == 0 ? 0.0f : i % 3 == 1 ? -0.0f : (float)z; break;
				case 4: x[i] = (float)i; break;
				case 5: x[i] = (float)(n - i); break;
				default: x[i] = i % 7 ? 5.0f : (float)z; break;
				}
			}
			memcpy(b, x, (size_t)n * sizeof(float));
			ksp_fc_quantiles3(b, n, got);
			for (int q = 0; q < 3; q++) {
				memcpy(a, x, (size_t)n * sizeof(float));
				bad += got[q] != (float)ksp_fc_quantile(a, n, p[q]);
				cases++;
			}
		}
	CHECK(cases > 300);
	CHECK_EQ_INT(bad, 0);
}

TEST(bands_are_the_quantiles_of_the_draws)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_bands bd;
	struct ksp_fc_result res;
	struct ksp_fc_draw dr;
	const int R = 2, O = 6, T = 4, N = 37, NU = (int)(sizeof(uncertain) / sizeof(uncertain[0]));
	const size_t nc = (size_t)T * R * O;
	float *vals = calloc((size_t)N * nc, sizeof(float)), col[37];
	int bad = 0;

	synth(&in, R, 101, T, 4, O, 2, 3, 9);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	unit_level(&lv, &in);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, uncertain, NU, N, 77, NULL, (size_t)1 << 28, &bd, NULL),
		     KSP_OK);
	ksp_fc_result_init(&res, T, R, O);
	for (int d = 0; d < N; d++) {
		ksp_fc_draw_sample(&dr, uncertain, NU, 77, d);
		ksp_fc_evaluate(&b, &lv, &dr, &res);
		for (size_t c = 0; c < nc; c++)
			vals[(size_t)d * nc + c] = (float)res.openings[c];
	}
	for (size_t c = 0; c < nc; c++)
		for (int q = 0; q < 3; q++) {
			const double p[3] = { 0.1, 0.5, 0.9 };
			float want;

			for (int d = 0; d < N; d++)
				col[d] = vals[(size_t)d * nc + c];
			want = (float)ksp_fc_quantile(col, N, p[q]);
			if (fabsf(ksp_fc_band_cell(&bd, q, KSP_FC_BAND_OPENINGS, (int)(c / (R * O)),
						   (int)(c / O % R), (int)(c % O)) -
				  want) > 1e-6f * (fabsf(want) + 1))
				bad++;
		}
	CHECK_EQ_INT(bad, 0);
	free(vals);
	ksp_fc_result_release(&res);
	ksp_fc_bands_release(&bd);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

TEST(lean_evaluation_is_bit_identical)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_result full, lean;
	struct ksp_fc_draw dr;
	const int R = 3, O = 30, T = 7, NU = (int)(sizeof(uncertain) / sizeof(uncertain[0]));
	const size_t n = (size_t)T * R * O;

	synth(&in, R, 101, T, 6, O, 3, 4, 21);
	/* a labour reserve, so that its share of each cell is in the comparison */
	in.reserve_draw = 0.15;
	in.reserve0[1] = 500;
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	unit_level(&lv, &in);
	ksp_fc_result_init(&full, T, R, O);
	ksp_fc_result_init_lean(&lean, T, R, O);
	ksp_fc_draw_sample(&dr, uncertain, NU, 5, 3);
	ksp_fc_evaluate(&b, &lv, &dr, &full);
	ksp_fc_evaluate(&b, &lv, &dr, &lean);
	CHECK(memcmp(full.demand, lean.demand, n * sizeof(double)) == 0);
	CHECK(memcmp(full.openings, lean.openings, n * sizeof(double)) == 0);
	CHECK(memcmp(full.new_supply, lean.new_supply, n * sizeof(double)) == 0);
	CHECK(memcmp(full.balance, lean.balance, n * sizeof(double)) == 0);
	ksp_fc_result_release(&full);
	ksp_fc_result_release(&lean);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}


/* ---- results in another classification ------------------------------------------ */

/*
 * The hand world's two occupations mapped to three national codes: o0 goes
 * half to n0 and half to n1, o1 wholly to n1; n2 gets nothing.
 */
static void hand_xmap(struct ksp_fc_xmap *x)
{
	static int start[4] = { 0, 1, 3, 3 }, src[3] = { 0, 0, 1 };
	static double w[3] = { 0.5, 0.5, 1.0 };

	x->nin = 2;
	x->nout = 3;
	x->start = start;
	x->src = src;
	x->w = w;
}

TEST(crosswalk_maps_results_by_hand)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_result res, nat;
	struct ksp_fc_draw dr;
	struct ksp_fc_xmap x;

	hand_world(&in);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	unit_level(&lv, &in);
	ksp_fc_result_init(&res, 3, 2, 2);
	ksp_fc_result_init(&nat, 3, 2, 3);
	ksp_fc_draw_central(&dr);
	ksp_fc_evaluate(&b, &lv, &dr, &res);
	hand_xmap(&x);
	ksp_fc_result_map(&x, &res, &nat);
	/* region 0, year 0: demand (70, 80) -> n0 = 35, n1 = 35 + 80, n2 = 0 */
	CHECK_NEAR(nat.demand[0], 35.0, EPS);
	CHECK_NEAR(nat.demand[1], 115.0, EPS);
	CHECK(nat.demand[2] == 0);
	/* region 0, year 1: openings (21.5, 30) -> 10.75, 40.75; transfers (3.5, 8) */
	CHECK_NEAR(nat.openings[(1 * 2 + 0) * 3 + 0], 10.75, 1e-7);
	CHECK_NEAR(nat.openings[(1 * 2 + 0) * 3 + 1], 40.75, 1e-7);
	CHECK_NEAR(nat.transfers[(1 * 2 + 0) * 3 + 1], 1.75 + 8.0, EPS);
	/* the shortage ratio is the mapped cells' own */
	CHECK_NEAR(nat.shortage[(1 * 2 + 0) * 3 + 1],
		   -nat.balance[(1 * 2 + 0) * 3 + 1] / nat.demand[(1 * 2 + 0) * 3 + 1], 1e-15);
	CHECK(nat.shortage[(1 * 2 + 0) * 3 + 2] == 0);
	/* totals are kept: every cell's codes sum to the occupations' sum */
	for (int t = 0; t < 3; t++)
		for (int r = 0; r < 2; r++) {
			const double *um[] = { res.demand, res.exits, res.openings, res.new_supply,
					       res.balance, res.other_entrants };
			const double *nm[] = { nat.demand, nat.exits, nat.openings, nat.new_supply,
					       nat.balance, nat.other_entrants };

			for (int k = 0; k < 6; k++) {
				const double *u = um[k] + (t * 2 + r) * 2, *n = nm[k] + (t * 2 + r) * 3;

				CHECK_NEAR(n[0] + n[1] + n[2], u[0] + u[1], 1e-9);
			}
			CHECK(nat.demand_tot[t * 2 + r] == res.demand_tot[t * 2 + r]);
		}
	/* the national shortfall of the mapped cells: year 1, region 0, gaps
	   10.75 - 4.745333 and 40.75 - 24.234667 (n0 gets half of o0's supply) */
	CHECK_NEAR(ksp_fc_shortfall(&nat, 1, 0, NULL),
		   ((21.5 - (2.5 + 7.48 * 70 / 150 + 3.5)) * 0.5 +
		    (21.5 - (2.5 + 7.48 * 70 / 150 + 3.5)) * 0.5 + 30 - (7.5 + 7.48 * 80 / 150 + 8)) /
			   160.0,
		   1e-9);
	ksp_fc_result_release(&res);
	ksp_fc_result_release(&nat);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

TEST(montecarlo_bands_of_mapped_cells)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_bands bd, plain;
	struct ksp_fc_result res, nat;
	struct ksp_fc_draw dr;
	struct ksp_fc_xmap x;
	struct ksp_error err;
	const int R = 2, O = 6, G = 4, T = 4, N = 21;
	const int NU = (int)(sizeof(uncertain) / sizeof(uncertain[0]));
	/* six occupations to four codes: 0 -> g0; 1 -> g0 .3, g1 .7; 2, 3 -> g1; 4 -> g2; 5 -> g3 */
	int start[5] = { 0, 2, 5, 6, 7 }, src[7] = { 0, 1, 1, 2, 3, 4, 5 };
	double w[7] = { 1, 0.3, 0.7, 1, 1, 1, 1 };
	const size_t nc = (size_t)T * R * G;
	float *vals = calloc((size_t)N * nc, sizeof(float)), col[21];
	int bad = 0;

	x.nin = O;
	x.nout = G;
	x.start = start;
	x.src = src;
	x.w = w;
	synth(&in, R, 101, T, 4, O, 2, 3, 9);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	unit_level(&lv, &in);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, &x, uncertain, NU, N, 77, NULL, (size_t)1 << 28,
				       &bd, &err),
		     KSP_OK);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, uncertain, NU, N, 77, NULL, (size_t)1 << 28,
				       &plain, &err),
		     KSP_OK);
	CHECK_EQ_INT(bd.nl, G);
	ksp_fc_result_init(&res, T, R, O);
	ksp_fc_result_init(&nat, T, R, G);
	for (int d = 0; d < N; d++) {
		ksp_fc_draw_sample(&dr, uncertain, NU, 77, d);
		ksp_fc_evaluate(&b, &lv, &dr, &res);
		ksp_fc_result_map(&x, &res, &nat);
		for (size_t c = 0; c < nc; c++)
			vals[(size_t)d * nc + c] = (float)nat.balance[c];
	}
	/* the bands of a code are the quantiles of its mapped draws */
	for (int t = 0; t < T; t++)
		for (int r = 0; r < R; r++)
			for (int g = 0; g < G; g++)
				for (int q = 0; q < 3; q++) {
					const double p[3] = { 0.1, 0.5, 0.9 };
					size_t c = ((size_t)t * R + r) * G + g;
					float want;

					for (int d = 0; d < N; d++)
						col[d] = vals[(size_t)d * nc + c];
					want = (float)ksp_fc_quantile(col, N, p[q]);
					if (fabsf(ksp_fc_band_cell(&bd, q, KSP_FC_BAND_BALANCE, t, r, g) -
						  want) > 1e-6f * (fabsf(want) + 1))
						bad++;
				}
	CHECK_EQ_INT(bad, 0);
	/* the totals do not depend on the classification */
	CHECK(memcmp(bd.total, plain.total,
		     (size_t)3 * KSP_FC_NTOT * T * (R + 1) * sizeof(float)) == 0);
	/* a map of the wrong size is refused */
	ksp_fc_bands_release(&plain);
	x.nin = 5;
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, &x, uncertain, NU, N, 77, NULL, (size_t)1 << 28,
				       &plain, &err) == KSP_OK,
		     0);
	free(vals);
	ksp_fc_result_release(&res);
	ksp_fc_result_release(&nat);
	ksp_fc_bands_release(&bd);
	ksp_fc_bands_release(&plain);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}


TEST(montecarlo_country_bands_from_the_draws)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_bands b1, b2;
	struct ksp_fc_result res;
	struct ksp_fc_draw dr;
	const int R = 4, O = 8, T = 5, N = 41, NU = (int)(sizeof(uncertain) / sizeof(uncertain[0]));
	const size_t nc = (size_t)T * O;
	double *vals = calloc((size_t)4 * N * nc, sizeof(double));
	float col[41];
	int bad_exact = 0, bad_order = 0, bad_range = 0, differs = 0;

	synth(&in, R, 101, T, 5, O, 2, 3, 13);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	unit_level(&lv, &in);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, uncertain, NU, N, 99, NULL, (size_t)1 << 28,
				       &b1, NULL),
		     KSP_OK);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, uncertain, NU, N, 99, NULL, (size_t)1 << 28,
				       &b2, NULL),
		     KSP_OK);
	/* reproducible for a seed, the country included */
	CHECK(memcmp(b1.cell, b2.cell, (size_t)3 * KSP_FC_NBAND * T * (R + 1) * O * sizeof(float)) ==
	      0);
	/* the country's draws: the regions summed within each draw */
	ksp_fc_result_init(&res, T, R, O);
	for (int d = 0; d < N; d++) {
		ksp_fc_draw_sample(&dr, uncertain, NU, 99, d);
		ksp_fc_evaluate(&b, &lv, &dr, &res);
		for (int k = 0; k < 4; k++) {
			const double *src = k == 0 ? res.demand : k == 1 ? res.openings
							: k == 2 ? res.new_supply : res.balance;

			for (int t = 0; t < T; t++)
				for (int l = 0; l < O; l++) {
					double s = 0;

					for (int r = 0; r < R; r++)
						s += src[((size_t)t * R + r) * O + l];
					vals[(((size_t)k * N + d) * T + t) * O + l] = s;
				}
		}
	}
	for (int k = 0; k < 4; k++)
		for (int t = 0; t < T; t++)
			for (int l = 0; l < O; l++) {
				float q[3], lo = 0, mid = 0, hi = 0;

				for (int j = 0; j < 3; j++) {
					const double p[3] = { 0.1, 0.5, 0.9 };

					for (int d = 0; d < N; d++)
						col[d] = (float)vals[(((size_t)k * N + d) * T + t) * O + l];
					q[j] = ksp_fc_band_cell(&b1, j, k, t, R, l);
					/* exactly the quantile of the summed draws */
					if (q[j] != (float)ksp_fc_quantile(col, N, p[j]))
						bad_exact++;
				}
				bad_order += !(q[0] <= q[1] && q[1] <= q[2]);
				for (int r = 0; r < R; r++) {
					lo += ksp_fc_band_cell(&b1, 0, k, t, r, l);
					mid += ksp_fc_band_cell(&b1, 1, k, t, r, l);
					hi += ksp_fc_band_cell(&b1, 2, k, t, r, l);
				}
				/* the country's P50 lies between the sums of the regions' P10 and
				   P90 (the regions move together: they share the draw's parameters),
				   and is not just the sum of the regions' P50 */
				if (t > 0 && !(q[1] >= lo - 1e-3f * fabsf(lo) && q[1] <= hi + 1e-3f * fabsf(hi)))
					bad_range++;
				differs += t > 0 && q[1] != mid;
			}
	CHECK_EQ_INT(bad_exact, 0);
	CHECK_EQ_INT(bad_order, 0);
	CHECK_EQ_INT(bad_range, 0);
	CHECK(differs > 0);
	free(vals);
	ksp_fc_result_release(&res);
	ksp_fc_bands_release(&b1);
	ksp_fc_bands_release(&b2);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}


/*
 * The bands the plain way: every draw evaluated in full by ksp_fc_evaluate
 * (mapped by xm when given), all its values kept as floats, the quantiles
 * taken one cell at a time with ksp_fc_quantile.  The Monte Carlo must give
 * exactly these bits, whatever its phases, passes and shortcuts.
 */
static int plain_bands_differ(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
			      const struct ksp_fc_xmap *xm, int nd, uint64_t seed,
			      const unsigned char *by, const struct ksp_fc_bands *bd)
{
	const int R = b->d.nreg, T = b->d.nyear, nl = lv->nl, ng = xm ? xm->nout : nl;
	const int NU = (int)(sizeof(uncertain) / sizeof(uncertain[0]));
	const size_t ncell = (size_t)KSP_FC_NBAND * T * (R + 1) * ng;
	const size_t ntot = (size_t)KSP_FC_NTOT * T * (R + 1);
	float *cells = calloc((size_t)nd * ncell, sizeof(float));
	float *tots = calloc((size_t)nd * ntot, sizeof(float));
	float *sfs = calloc((size_t)nd * T, sizeof(float));
	float *col = calloc((size_t)nd, sizeof(float));
	double *cum = calloc((size_t)R * ng, sizeof(double));
	struct ksp_fc_result res, mres;
	struct ksp_fc_draw dr;
	int bad = 0;

	ksp_fc_result_init_lean(&res, T, R, nl);
	ksp_fc_result_init_lean(&mres, T, R, ng);
	for (int d = 0; d < nd; d++) {
		const struct ksp_fc_result *c = xm ? &mres : &res;

		ksp_fc_draw_sample(&dr, uncertain, NU, seed, d);
		ksp_fc_evaluate(b, lv, &dr, &res);
		if (xm)
			ksp_fc_result_map(xm, &res, &mres);
		for (int k = 0; k < KSP_FC_NBAND; k++) {
			const double *src = k == 0 ? c->demand : k == 1 ? c->openings
							: k == 2 ? c->new_supply : c->balance;

			for (int t = 0; t < T; t++)
				for (int g = 0; g < ng; g++) {
					double sum = 0;

					for (int r = 0; r < R; r++) {
						double v = src[((size_t)t * R + r) * ng + g];

						sum += v;
						cells[(size_t)d * ncell +
						      (((size_t)k * T + t) * (R + 1) + r) * ng + g] = (float)v;
					}
					cells[(size_t)d * ncell + (((size_t)k * T + t) * (R + 1) + R) * ng + g] =
						(float)sum;
				}
		}
		for (int t = 0; t < T; t++) {
			double nat[KSP_FC_NTOT] = { 0 }, gross = 0, dem = 0;

			for (int r = 0; r <= R; r++) {
				double v[KSP_FC_NTOT] = { 0 };
				size_t x = (size_t)t * R + r;

				if (r < R) {
					v[KSP_FC_TOT_POP] = b->pop_tot[x] + (dr.mig_ext_scale - 1.0) * b->dpop_ext[x] +
							    (dr.mig_int_scale - 1.0) * b->dpop_int[x];
					v[KSP_FC_TOT_LF] = b->lf_tot[x] + (dr.mig_ext_scale - 1.0) * b->dlf_ext[x] +
							   (dr.mig_int_scale - 1.0) * b->dlf_int[x];
					v[KSP_FC_TOT_DEMAND] = res.demand_tot[x];
					for (int l = 0; l < nl; l++) {
						v[KSP_FC_TOT_OPENINGS] += res.openings[x * nl + l];
						v[KSP_FC_TOT_SUPPLY] += res.new_supply[x * nl + l];
						v[KSP_FC_TOT_BALANCE] += res.balance[x * nl + l];
					}
					for (int k = 0; k < KSP_FC_NTOT; k++)
						nat[k] += v[k];
				} else {
					memcpy(v, nat, sizeof(v));
				}
				for (int k = 0; k < KSP_FC_NTOT; k++)
					tots[(size_t)d * ntot + ((size_t)k * T + t) * (R + 1) + r] = (float)v[k];
			}
			/* the shortfall, the cumulative gaps year by year */
			if (t == 0)
				memset(cum, 0, (size_t)R * ng * sizeof(double));
			for (size_t x = 0; x < (size_t)R * ng; x++) {
				if (t > 0)
					cum[x] -= c->balance[(size_t)t * R * ng + x];
				if (cum[x] > 0)
					gross += cum[x];
				dem += c->demand[(size_t)t * R * ng + x];
			}
			sfs[(size_t)d * T + t] = (float)(dem > 0 ? gross / dem : 0);
		}
	}
	for (size_t i = 0; i < ncell; i++) {
		int t = (int)(i / ((size_t)(R + 1) * ng) % T);

		for (int q = 0; q < 3; q++) {
			const double p[3] = { 0.1, 0.5, 0.9 };
			float got = bd->cell[(size_t)q * ncell + i], want;

			if (by && !by[t]) {
				bad += !isnan(got);
				continue;
			}
			for (int d = 0; d < nd; d++)
				col[d] = cells[(size_t)d * ncell + i];
			want = (float)ksp_fc_quantile(col, nd, p[q]);
			bad += memcmp(&got, &want, sizeof(float)) != 0;
		}
	}
	for (size_t i = 0; i < ntot; i++)
		for (int q = 0; q < 3; q++) {
			const double p[3] = { 0.1, 0.5, 0.9 };
			float got = bd->total[(size_t)q * ntot + i], want;

			for (int d = 0; d < nd; d++)
				col[d] = tots[(size_t)d * ntot + i];
			want = (float)ksp_fc_quantile(col, nd, p[q]);
			bad += memcmp(&got, &want, sizeof(float)) != 0;
		}
	for (int t = 0; t < T; t++)
		for (int q = 0; q < 3; q++) {
			const double p[3] = { 0.1, 0.5, 0.9 };

			for (int d = 0; d < nd; d++)
				col[d] = sfs[(size_t)d * T + t];
			bad += bd->shortfall[(size_t)q * T + t] != ksp_fc_quantile(col, nd, p[q]);
		}
	ksp_fc_result_release(&res);
	ksp_fc_result_release(&mres);
	free(cells);
	free(tots);
	free(sfs);
	free(col);
	free(cum);
	return bad;
}

TEST(montecarlo_equals_the_plain_evaluation)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level unit, coarse;
	struct ksp_fc_bands bd;
	struct ksp_fc_xmap x;
	const int R = 3, O = 24, T = 6, N = 33, NU = (int)(sizeof(uncertain) / sizeof(uncertain[0]));
	int map[24], major[24], nc = 0;
	/* 24 occupations to 10 codes, with splits across groups */
	int start[11], src[40];
	double w[40];
	const unsigned char odd[6] = { 1, 0, 1, 1, 0, 1 }, last[6] = { 0, 0, 0, 0, 0, 1 };

	synth(&in, R, 101, T, 5, O, 3, 4, 17);
	/* projects, so that the levels' project paths count */
	in.projects[((size_t)2 * R + 1) * O + 5] = 40;
	in.projects[((size_t)4 * R + 2) * O + 17] = 25;
	/* and a labour reserve drawn */
	in.reserve_draw = 0.2;
	in.reserve0[0] = 300;
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	unit_level(&unit, &in);
	for (int o = 0; o < O; o++) {
		if (o == 0 || in.occ_major[o] != in.occ_major[o - 1] || o % 3 == 0)
			major[nc++] = in.occ_major[o];
		map[o] = nc - 1;
	}
	CHECK_EQ_INT(ksp_fc_level_init(&coarse, &in, map, nc, major, NULL), KSP_OK);
	{
		int ne = 0;

		for (int g = 0; g < 10; g++) {
			start[g] = ne;
			for (int o = 0; o < O; o++) {
				if (o * 10 / O == g) {
					src[ne] = o;
					w[ne++] = o % 4 == 0 ? 0.25 : 1.0;
				} else if (o % 4 == 0 && (o * 10 / O + 3) % 10 == g) {
					src[ne] = o;
					w[ne++] = 0.75;
				}
			}
		}
		start[10] = ne;
		x.nin = O;
		x.nout = 10;
		x.start = start;
		x.src = src;
		x.w = w;
	}

	/* on one thread and on several: the same bits (the work is cut by draws and by
	   regions, each value computed by one thread) */
	for (int th = 1; th <= 4; th++) {
		CHECK_EQ_INT(ksp_fc_montecarlo_sink(&b, &unit, NULL, uncertain, NU, N, 5, NULL,
						    (size_t)1 << 28, th, NULL, &bd, NULL),
			     KSP_OK);
		CHECK_EQ_INT(bd.threads, th);
		CHECK_EQ_INT(plain_bands_differ(&b, &unit, NULL, N, 5, NULL, &bd), 0);
		ksp_fc_bands_release(&bd);
		/* a coarser level (transfers by staffing), odd band years, a cap that forces
		   passes (and holds one worker's scratch only) */
		CHECK_EQ_INT(ksp_fc_montecarlo_sink(&b, &coarse, NULL, uncertain, NU, N, 6, odd,
						    (size_t)4 * N * nc * 8 + (size_t)2 * N * 4 * nc * 4,
						    th, NULL, &bd, NULL),
			     KSP_OK);
		CHECK(bd.passes == 4);
		CHECK_EQ_INT(bd.threads, 1);
		CHECK_EQ_INT(plain_bands_differ(&b, &coarse, NULL, N, 6, odd, &bd), 0);
		ksp_fc_bands_release(&bd);
		/* through a map, the last year */
		CHECK_EQ_INT(ksp_fc_montecarlo_sink(&b, &unit, &x, uncertain, NU, N, 7, last,
						    (size_t)1 << 28, th, NULL, &bd, NULL),
			     KSP_OK);
		CHECK_EQ_INT(plain_bands_differ(&b, &unit, &x, N, 7, last, &bd), 0);
		ksp_fc_bands_release(&bd);
	}
	ksp_fc_level_release(&unit);
	ksp_fc_level_release(&coarse);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

/* x[0..n-1] = their mean (row sums stay as they were, to rounding). */
static void set_mean(double *x, int n)
{
	double m = 0;

	for (int j = 0; j < n; j++)
		m += x[j];
	for (int j = 0; j < n; j++)
		x[j] = m / n;
}

/*
 * Twins: occupations whose inputs are the same bit for bit.  The Monte Carlo
 * computes their demand once a class (mc_demand); the bands must still be
 * those of the plain evaluation of every draw, bit for bit.
 */
TEST(montecarlo_with_twin_groups)
{
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level unit, cls_lv;
	struct ksp_fc_bands bd;
	const int R = 3, O = 24, T = 6, N = 21, I = 5, K = 4,
		  NU = (int)(sizeof(uncertain) / sizeof(uncertain[0]));
	int cls[24], npair = 0;

	synth(&in, R, 101, T, I, O, 3, K, 17);
	/* pairs (o, o+1) of one major group, and one triple, get the mean of their inputs */
	for (int o = 0; o + 1 < O; o += 2) {
		const int n = o == 6 && in.occ_major[o + 2] == in.occ_major[o] ? 3 : 2;

		if (in.occ_major[o + n - 1] != in.occ_major[o])
			continue;
		npair++;
		for (int i = 0; i < I; i++)
			set_mean(in.staffing + (size_t)i * O + o, n);
		for (int k = 0; k < K; k++)
			set_mean(in.flex + (size_t)k * O + o, n);
		set_mean(in.transfer_rate + o, n);
		if (in.projects)
			for (int c = 0; c < T * R; c++)
				for (int j = 1; j < n; j++)
					in.projects[(size_t)c * O + o + j] = in.projects[(size_t)c * O + o];
		o += n - 2;
	}
	CHECK(npair >= 6);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	unit_level(&unit, &in);
	/* the classes are found, and there are few enough for the class path */
	CHECK(ksp_fc_level_twins(&unit, &in, &cls_lv, cls) <= O - npair);
	ksp_fc_level_release(&cls_lv);
	for (int th = 1; th <= 3; th += 2) {
		CHECK_EQ_INT(ksp_fc_montecarlo_sink(&b, &unit, NULL, uncertain, NU, N, 9, NULL,
						    (size_t)1 << 28, th, NULL, &bd, NULL),
			     KSP_OK);
		CHECK_EQ_INT(bd.threads, th);
		CHECK(bd.twin_classes <= O - npair);
		CHECK_EQ_INT(plain_bands_differ(&b, &unit, NULL, N, 9, NULL, &bd), 0);
		/* twins' bands are the same bit for bit */
		CHECK(ksp_fc_band_cell(&bd, 1, KSP_FC_BAND_DEMAND, T - 1, 0, 0) ==
		      ksp_fc_band_cell(&bd, 1, KSP_FC_BAND_DEMAND, T - 1, 0, cls[1] == cls[0] ? 1 : 0));
		ksp_fc_bands_release(&bd);
	}
	ksp_fc_level_release(&unit);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

int main(void)
{
	RUN(hand_input_is_valid);
	RUN(hand_population);
	RUN(hand_labour_force);
	RUN(hand_demand_and_replacement);
	RUN(hand_labour_reserve);
	RUN(hand_need_retirements_and_deaths);
	RUN(graduates_to_work_by_hand);
	RUN(graduates_to_work_keep_the_regions_supply);
	RUN(openings_without_floor);
	RUN(clamped_emigration_keeps_identity);
	RUN(synthetic_world_identities);
	RUN(additive_across_levels_and_regions);
	RUN(level_map_is_checked);
	RUN(detmath_matches_libm);
	RUN(generator_reference_values);
	RUN(quantile_type7);
	RUN(bucket_quantiles_match_type7);
	RUN(montecarlo_is_deterministic);
	RUN(montecarlo_fixed_parameters_give_the_central_run);
	RUN(bands_are_the_quantiles_of_the_draws);
	RUN(lean_evaluation_is_bit_identical);
	RUN(crosswalk_maps_results_by_hand);
	RUN(montecarlo_bands_of_mapped_cells);
	RUN(montecarlo_country_bands_from_the_draws);
	RUN(montecarlo_equals_the_plain_evaluation);
	RUN(montecarlo_with_twin_groups);
	return harness_done();
}
