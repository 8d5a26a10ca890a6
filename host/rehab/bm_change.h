/*
 * bm_change.h - honest change: is a difference between two sessions larger
 * than the measurement's own noise, and is a left/right asymmetry real?
 *
 * Typical error (TE).  Repeated efforts within a session (three holds, five
 * MVIC tries) differ although the athlete has not changed; that spread is
 * the noise any change must beat.  We take TE as the within-subject SD of a
 * one-way ANOVA with the session as the group:
 *
 *     TE = sqrt( sum over sessions of sum (x - session mean)^2  /  (N - k) )
 *
 * over N efforts in k sessions.  Chosen over "SD of consecutive
 * differences / sqrt 2" because it uses every session's repeats at once
 * (more degrees of freedom, a steadier estimate than one session gives),
 * takes any number of repeats per session (2, 3 or 5; a session with one
 * effort adds nothing and harms nothing), and, each session being measured
 * from its own mean, real change between sessions does not inflate it.  The
 * price: a steady fatigue trend within a session counts as noise; with the
 * few repeats a session has, that is part of the noise a user sees anyway.
 *
 * MDC95 = 1.96 x sqrt 2 x TE is the smallest change between two single
 * efforts that noise alone produces less than 5 % of the time.  A change is
 * "real" only when |change| > MDC95, else "within noise"; with fewer than
 * min_df degrees of freedom TE is not estimated: "not enough repeats".
 * (Comparing session means of n efforts, the noise is smaller by sqrt n:
 * judging them with the single-effort MDC is conservative.)
 *
 * Asymmetry of a set's bilateral efforts.  Per effort, the signed asymmetry
 * (left - right) / stronger x 100 (positive: the right leg is weaker); over
 * the set its mean with a 95 % interval, mean +- t(0.975, n - 1) x SD / sqrt n
 * (t computed from the Student distribution, not a table).  Against a
 * threshold (10 %): "certain" only when the whole interval lies past it on
 * one side, "possible" when it straddles a threshold, "none" when it lies
 * wholly within +-threshold.
 *
 * The C is checked against numpy/scipy (tests/rehab/gen_change_ref.py).
 */
#ifndef BM_CHANGE_H
#define BM_CHANGE_H

#include <stddef.h>

/** Return codes. */
enum bm_change_result {
	BM_CHANGE_OK = 0,
	BM_CHANGE_ERR_ARG = -1,   /**< NULL pointer, NaN where a number is needed */
};

/** 1.96: the two-sided 95 % normal quantile the MDC95 convention uses. */
#define BM_CHANGE_Z95 1.96

/** Fewest degrees of freedom for a TE (default of bm_change_te's min_df). */
#define BM_CHANGE_MIN_DF 2

struct bm_te {
	int valid;            /**< df >= min_df */
	double te;            /**< typical error, in the metric's unit; NaN when not valid */
	double te_pct;        /**< TE / grand mean x 100 (NaN if the mean is <= 0) */
	double mdc95;         /**< 1.96 x sqrt 2 x TE */
	double grand_mean;    /**< mean of all values used */
	size_t df;            /**< N - k over the groups with values */
	size_t n_values;      /**< values used (NaN ones skipped) */
	size_t n_groups;      /**< groups with at least one value */
};

/**
 * TE from repeated efforts in sessions: @p values holds the sessions one
 * after the other, @p group_n[i] values for session i.  NaN values are
 * skipped.
 * @param min_df  fewest degrees of freedom (0: BM_CHANGE_MIN_DF)
 * @return BM_CHANGE_OK (out->valid says whether TE was estimated), or
 *         BM_CHANGE_ERR_ARG.
 */
int bm_change_te(const double *values, const size_t *group_n, size_t n_groups, size_t min_df,
                 struct bm_te *out);

/** 1.96 x sqrt(2) x @p te. */
double bm_change_mdc95(double te);

enum bm_change_label {
	BM_CHANGE_NOT_ENOUGH = 0, /**< TE could not be estimated */
	BM_CHANGE_NOISE = 1,      /**< |change| <= MDC95 */
	BM_CHANGE_REAL = 2,       /**< |change| > MDC95 */
};

struct bm_change {
	double change;            /**< after - before */
	double mdc95;             /**< NaN when not enough repeats */
	enum bm_change_label label;
};

/**
 * Judge the change from @p before to @p after with @p te.
 * @return BM_CHANGE_OK, or BM_CHANGE_ERR_ARG (NULL, or before/after not finite).
 */
int bm_change_judge(double before, double after, const struct bm_te *te, struct bm_change *out);

/** "real", "within noise", "not enough repeats". */
const char *bm_change_label_text(enum bm_change_label label);

/**
 * Quantile of Student's t distribution: the t with P(T <= t) = @p p for
 * @p df degrees of freedom (any df > 0, not only whole ones).  Agrees with
 * scipy.stats.t.ppf to about 1e-12.  NaN for p outside (0, 1) or df <= 0.
 */
double bm_change_t_quantile(double p, double df);

enum bm_asym_flag {
	BM_ASYM_NOT_ENOUGH = 0,   /**< fewer than 2 usable efforts: no interval */
	BM_ASYM_NONE = 1,         /**< the interval lies wholly within +-threshold */
	BM_ASYM_POSSIBLE = 2,     /**< the interval straddles a threshold */
	BM_ASYM_CERTAIN = 3,      /**< the whole interval lies past a threshold */
};

struct bm_asym_ci {
	size_t n;                 /**< efforts used */
	double mean_pct;          /**< mean signed asymmetry (+: right weaker) */
	double sd_pct;            /**< SD (n - 1) */
	double t;                 /**< t(0.975, n - 1) */
	double half_width_pct;    /**< t x SD / sqrt n */
	double low_pct, high_pct; /**< the 95 % interval */
	double threshold_pct;
	enum bm_asym_flag flag;
	int weaker;               /**< 0 left, 1 right (from the mean's sign), -1 none */
};

/**
 * Asymmetry with its interval from per-effort forces of each leg (efforts
 * where either force is not finite, or both are <= 0, are skipped).
 * @param n  at most 256 (a set's efforts)
 * @return BM_CHANGE_OK or BM_CHANGE_ERR_ARG (NULL, threshold not > 0, n > 256).
 */
int bm_change_asym_ci(const double *left_n, const double *right_n, size_t n,
                      double threshold_pct, struct bm_asym_ci *out);

/** The same from signed asymmetry values, % (NaN skipped). */
int bm_change_asym_ci_pct(const double *asym_pct, size_t n, double threshold_pct,
                          struct bm_asym_ci *out);

/** "not enough efforts", "none", "possible", "certain". */
const char *bm_asym_flag_text(enum bm_asym_flag flag);

#endif
