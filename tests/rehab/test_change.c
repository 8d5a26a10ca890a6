/*
 * test_change.c - typical error, MDC95, change labels, the asymmetry
 * interval and Student's t against the reference computed with numpy and
 * scipy (change_ref.txt, from gen_change_ref.py), to 1e-9.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bm_change.h"
#include "rehab_suites.h"

#define TOL 1e-9
#define MAXV 64

static int close_to(double got, double want)
{
	if (isnan(want))
		return isnan(got);
	return fabs(got - want) <= TOL * (fabs(want) > 1 ? fabs(want) : 1);
}

/* Numbers after the first @skip words of @line into @v; "nan" is NaN. */
static int numbers(const char *line, int skip, double *v, int max)
{
	char buf[2048];
	snprintf(buf, sizeof buf, "%s", line);
	int n = 0, w = 0;
	for (char *tok = strtok(buf, " \n"); tok; tok = strtok(NULL, " \n"), w++) {
		if (w < skip)
			continue;
		if (n < max)
			v[n++] = strcmp(tok, "nan") == 0 ? NAN : strtod(tok, NULL);
	}
	return n;
}

static FILE *open_ref(void)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/change_ref.txt", rehab_data_dir());
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s (the runner takes the tests/rehab folder as argument)", path);
	return f;
}

START_TEST(t_quantiles_against_scipy)
{
	FILE *f = open_ref();
	char line[2048];
	int n = 0;
	double worst = 0;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "t ", 2) != 0)
			continue;
		double v[4];
		ck_assert_int_eq(numbers(line, 1, v, 4), 4);
		double got = bm_change_t_quantile(v[0], v[1]);
		ck_assert_msg(close_to(got, v[2]), "t(%g, df %g): expected %.17g (scipy, polished), got %.17g",
		              v[0], v[1], v[2], got);
		/* scipy's raw t.ppf is within 1e-8 too */
		ck_assert_msg(fabs(got - v[3]) <= 1e-8 * fabs(v[3]), "t(%g, %g) vs raw t.ppf %.17g: %.17g",
		              v[0], v[1], v[3], got);
		if (fabs(got - v[2]) > worst)
			worst = fabs(got - v[2]);
		n++;
	}
	fclose(f);
	ck_assert_msg(n == 147, "expected 147 t values in the reference, read %d", n);
	ck_assert_msg(worst < 1e-11, "worst t difference %.3g (expected < 1e-11)", worst);
	/* symmetry and edges */
	ck_assert_msg(bm_change_t_quantile(0.5, 7) == 0, "median 0");
	ck_assert_msg(bm_change_t_quantile(0.025, 4) == -bm_change_t_quantile(0.975, 4), "symmetric");
	ck_assert_msg(isnan(bm_change_t_quantile(1, 4)) && isnan(bm_change_t_quantile(0.9, 0)) &&
	              isnan(bm_change_t_quantile(NAN, 3)), "outside the domain: NaN");
	ck_assert_msg(fabs(bm_change_t_quantile(0.975, 1e7) - 1.959963984540054) < 1e-6,
	              "huge df: the normal quantile");
}
END_TEST

START_TEST(typical_error_against_numpy)
{
	FILE *f = open_ref();
	char line[2048];
	double values[MAXV];
	size_t groups[MAXV], n_groups = 0, n_values = 0, min_df = 0;
	char name[64] = "";
	struct bm_te te;
	int sets = 0, judged = 0;
	while (fgets(line, sizeof line, f)) {
		double v[MAXV];
		if (strncmp(line, "te ", 3) == 0) {
			unsigned md;
			ck_assert_int_eq(sscanf(line, "te %63s %u", name, &md), 2);
			min_df = md;
			n_groups = n_values = 0;
		} else if (strncmp(line, "group", 5) == 0) {
			int k = numbers(line, 1, v, MAXV);
			for (int i = 0; i < k; i++)
				values[n_values++] = v[i];
			groups[n_groups++] = (size_t)k;
		} else if (strncmp(line, "te_end", 6) == 0) {
			ck_assert_int_eq(numbers(line, 1, v, 6), 6);
			ck_assert_int_eq(bm_change_te(values, groups, n_groups, min_df, &te), BM_CHANGE_OK);
			ck_assert_msg(te.valid == (int)v[0] && te.df == (size_t)v[2],
			              "%s: expected valid %g df %g, got %d %zu", name, v[0], v[2], te.valid, te.df);
			ck_assert_msg(close_to(te.te, v[1]) && close_to(te.mdc95, v[3]) &&
			              close_to(te.grand_mean, v[4]) && close_to(te.te_pct, v[5]),
			              "%s: expected TE %.17g MDC %.17g mean %.17g TE%% %.17g; got %.17g %.17g %.17g %.17g",
			              name, v[1], v[3], v[4], v[5], te.te, te.mdc95, te.grand_mean, te.te_pct);
			sets++;
		} else if (strncmp(line, "judge", 5) == 0) {
			char jn[64], label[32];
			ck_assert_int_eq(sscanf(line, "judge %63s %*s %*s %*s %31s", jn, label), 2);
			ck_assert_str_eq(jn, name);
			numbers(line, 2, v, 3);
			struct bm_change c;
			ck_assert_int_eq(bm_change_judge(v[0], v[1], &te, &c), BM_CHANGE_OK);
			const char *want = strcmp(label, "real") == 0 ? "real" : strcmp(label, "noise") == 0
			                   ? "within noise" : "not enough repeats";
			ck_assert_msg(close_to(c.change, v[2]) && strcmp(bm_change_label_text(c.label), want) == 0,
			              "%s: %g -> %g: expected %s (change %.17g), got %s (%.17g, MDC %.17g)", name,
			              v[0], v[1], want, v[2], bm_change_label_text(c.label), c.change, c.mdc95);
			judged++;
		}
	}
	fclose(f);
	ck_assert_msg(sets == 6 && judged == 12, "expected 6 data sets and 12 changes, read %d and %d",
	              sets, judged);
}
END_TEST

START_TEST(asymmetry_interval_against_scipy)
{
	FILE *f = open_ref();
	char line[2048], name[64] = "";
	double thr = 0, left[MAXV], right[MAXV];
	int nl = 0, nr = 0, sets = 0;
	while (fgets(line, sizeof line, f)) {
		double v[MAXV];
		if (strncmp(line, "asym ", 5) == 0) {
			ck_assert_int_eq(sscanf(line, "asym %63s %lf", name, &thr), 2);
		} else if (strncmp(line, "left", 4) == 0) {
			nl = numbers(line, 1, left, MAXV);
		} else if (strncmp(line, "right", 5) == 0) {
			nr = numbers(line, 1, right, MAXV);
		} else if (strncmp(line, "asym_end", 8) == 0) {
			char flag[32];
			int weaker;
			ck_assert_int_eq(sscanf(line, "asym_end %*s %*s %*s %*s %*s %*s %*s %31s %d", flag, &weaker), 2);
			numbers(line, 1, v, 7);
			ck_assert_int_eq(nl, nr);
			struct bm_asym_ci ci;
			ck_assert_int_eq(bm_change_asym_ci(left, right, (size_t)nl, thr, &ci), BM_CHANGE_OK);
			const char *want = strcmp(flag, "not_enough") == 0 ? "not enough efforts" : flag;
			ck_assert_msg(ci.n == (size_t)v[0] && strcmp(bm_asym_flag_text(ci.flag), want) == 0 &&
			              ci.weaker == weaker,
			              "%s: expected n %g flag %s weaker %d, got %zu %s %d", name, v[0], want, weaker,
			              ci.n, bm_asym_flag_text(ci.flag), ci.weaker);
			ck_assert_msg(close_to(ci.mean_pct, v[1]) && close_to(ci.sd_pct, v[2]) && close_to(ci.t, v[3]) &&
			              close_to(ci.half_width_pct, v[4]) && close_to(ci.low_pct, v[5]) &&
			              close_to(ci.high_pct, v[6]),
			              "%s: expected mean %.17g sd %.17g t %.17g half %.17g [%.17g, %.17g]; got %.17g %.17g "
			              "%.17g %.17g [%.17g, %.17g]", name, v[1], v[2], v[3], v[4], v[5], v[6], ci.mean_pct,
			              ci.sd_pct, ci.t, ci.half_width_pct, ci.low_pct, ci.high_pct);
			sets++;
		}
	}
	fclose(f);
	ck_assert_msg(sets == 8, "expected 8 asymmetry sets, read %d", sets);
}
END_TEST

START_TEST(by_hand_and_bad_input)
{
	ck_assert_msg(fabs(bm_change_mdc95(1) - 1.96 * sqrt(2)) < 1e-15, "MDC95 of 1");
	struct bm_te te;
	ck_assert_int_eq(bm_change_te(NULL, NULL, 0, 0, &te), BM_CHANGE_OK);
	ck_assert_msg(!te.valid && te.n_values == 0 && isnan(te.te), "no data: not valid");
	ck_assert_int_eq(bm_change_te(NULL, (size_t[]){2}, 1, 0, &te), BM_CHANGE_ERR_ARG);
	ck_assert_int_eq(bm_change_te((double[]){1, 2}, (size_t[]){2}, 1, 0, NULL), BM_CHANGE_ERR_ARG);
	/* two efforts per session, differences 2 and 4: TE = sqrt((2 + 8) / 2) */
	double v[] = {10, 12, 20, 24};
	size_t g[] = {2, 2};
	ck_assert_int_eq(bm_change_te(v, g, 2, 0, &te), BM_CHANGE_OK);
	ck_assert_msg(te.valid && te.df == 2 && fabs(te.te - sqrt(5)) < 1e-12, "TE %.6f, expected sqrt 5", te.te);
	struct bm_change c;
	ck_assert_int_eq(bm_change_judge(NAN, 3, &te, &c), BM_CHANGE_ERR_ARG);
	ck_assert_int_eq(bm_change_judge(1, 3, NULL, &c), BM_CHANGE_ERR_ARG);
	ck_assert_int_eq(bm_change_judge(1, 3, &te, NULL), BM_CHANGE_ERR_ARG);
	struct bm_asym_ci ci;
	ck_assert_int_eq(bm_change_asym_ci((double[]){1}, (double[]){1}, 1, 0, &ci), BM_CHANGE_ERR_ARG);
	ck_assert_int_eq(bm_change_asym_ci_pct(NULL, 0, 10, &ci), BM_CHANGE_OK);
	ck_assert_msg(ci.flag == BM_ASYM_NOT_ENOUGH && ci.n == 0 && ci.weaker == -1, "nothing: not enough");
	double a[] = {12, 14, NAN, 13};
	ck_assert_int_eq(bm_change_asym_ci_pct(a, 4, 10, &ci), BM_CHANGE_OK);
	ck_assert_msg(ci.n == 3 && fabs(ci.mean_pct - 13) < 1e-12 && fabs(ci.sd_pct - 1) < 1e-12 &&
	              ci.flag == BM_ASYM_CERTAIN && ci.weaker == 1,
	              "13 +- 4.303 x 1 / sqrt 3 = [10.52, 15.48] lies past 10 %%: certain; got [%.3f, %.3f] %s",
	              ci.low_pct, ci.high_pct, bm_asym_flag_text(ci.flag));
	double b[] = {-8, -14, -11};
	ck_assert_int_eq(bm_change_asym_ci_pct(b, 3, 10, &ci), BM_CHANGE_OK);
	ck_assert_msg(ci.flag == BM_ASYM_POSSIBLE && ci.weaker == 0,
	              "-11 +- 7.45 straddles -10 %%: possible, left weaker; got %s %d",
	              bm_asym_flag_text(ci.flag), ci.weaker);
}
END_TEST

Suite *suite_change(void)
{
	Suite *s = suite_create("change");
	TCase *tc = tcase_create("change");
	tcase_add_test(tc, t_quantiles_against_scipy);
	tcase_add_test(tc, typical_error_against_numpy);
	tcase_add_test(tc, asymmetry_interval_against_scipy);
	tcase_add_test(tc, by_hand_and_bad_input);
	suite_add_tcase(s, tc);
	return s;
}
