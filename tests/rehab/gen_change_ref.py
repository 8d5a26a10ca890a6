#!/usr/bin/python3
"""gen_change_ref.py - reference values for host/rehab/bm_change (typical
error, MDC95, change labels, the asymmetry interval, Student's t) computed
with numpy and scipy, written to change_ref.txt next to this script (or the
path given as the first argument).  test_change.c reads the data sets from
that file, computes the same things in C and compares them to 1e-9.

Run with Debian's interpreter, which has numpy and scipy:

    /usr/bin/python3 tests/rehab/gen_change_ref.py [OUT]
    /usr/bin/python3 tests/rehab/gen_change_ref.py --check [FILE]

--check recomputes everything and compares it with the committed file
(numbers to 1e-12 relative, words exactly): the test suite runs it so the
file cannot drift from the script.  Exit 77 (a skip, said in one line)
when numpy or scipy cannot be imported.

The t values: scipy.stats.t.ppf (scipy 1.10, cephes' stdtrit) is itself off
by up to about 1e-8 for some degrees of freedom (e.g. df = 39: t.sf of its
answer differs from 0.025 by 4e-10).  So each t.ppf value is polished with
Newton steps on scipy's own t.sf and t.pdf (which are accurate to ~1e-16),
and checked against the closed forms for df = 1 and 2; both the raw and the
polished values are written, and the C is compared with the polished one.

Format (one item per line, numbers with 17 significant digits):
    t P DF POLISHED RAW_PPF
    te NAME MIN_DF / group V... / te_end VALID TE DF MDC95 GRAND_MEAN TE_PCT
    judge NAME BEFORE AFTER CHANGE LABEL
    asym NAME THRESHOLD / left V... / right V... /
        asym_end N MEAN SD T HALF LOW HIGH FLAG WEAKER
"""
import math
import os
import sys

try:
    import numpy as np
    import scipy
    from scipy import stats
except ImportError as e:  # pragma: no cover - depends on the interpreter
    print("gen_change_ref.py: needs numpy and scipy (Debian's /usr/bin/python3): %s" % e)
    sys.exit(77)

Z95 = 1.96


def t_polished(p, df):
    raw = float(stats.t.ppf(p, df))
    t = raw
    q = 1.0 - p
    for _ in range(6):
        t = t + (float(stats.t.sf(t, df)) - q) / float(stats.t.pdf(t, df))
    return t, raw


def te_of(groups, min_df):
    vals = [np.asarray([v for v in g if math.isfinite(v)], dtype=float) for g in groups]
    vals = [g for g in vals if g.size > 0]
    n = sum(g.size for g in vals)
    k = len(vals)
    df = n - k
    ss = sum(float(np.sum((g - g.mean()) ** 2)) for g in vals)
    grand = float(np.concatenate(vals).mean()) if n else float("nan")
    if df < min_df:
        return 0, float("nan"), df, float("nan"), grand, float("nan")
    te = math.sqrt(ss / df)
    # Cross-check with scipy's one-way ANOVA: MS_within = MS_between / F.
    multi = [g for g in vals if g.size > 0]
    if len(multi) >= 2 and all(g.size >= 1 for g in multi) and ss > 0:
        f, _ = stats.f_oneway(*multi)
        ms_between = sum(g.size * (g.mean() - grand) ** 2 for g in multi) / (len(multi) - 1)
        if f > 0:
            assert abs(math.sqrt(ms_between / f) - te) < 1e-9 * te, "ANOVA cross-check"
    mdc = Z95 * math.sqrt(2.0) * te
    pct = te / grand * 100 if grand > 0 else float("nan")
    return 1, te, df, mdc, grand, pct


def asym_of(left, right, thr):
    a = []
    for l, r in zip(left, right):
        strong = max(l, r)
        if math.isfinite(l) and math.isfinite(r) and strong > 0:
            a.append((l - r) / strong * 100)
    a = np.asarray(a)
    n = a.size
    nan = float("nan")
    if n == 0:
        return 0, nan, nan, nan, nan, nan, nan, "not_enough", -1
    mean = float(a.mean())
    weaker = 1 if mean > 0 else 0 if mean < 0 else -1
    if n < 2:
        return n, mean, nan, nan, nan, nan, nan, "not_enough", weaker
    sd = float(a.std(ddof=1))
    t, _ = t_polished(0.975, n - 1)
    half = t * sd / math.sqrt(n)
    lo, hi = mean - half, mean + half
    if lo > thr or hi < -thr:
        flag = "certain"
    elif lo >= -thr and hi <= thr:
        flag = "none"
    else:
        flag = "possible"
    return n, mean, sd, t, half, lo, hi, flag, weaker


TE_SETS = [
    # name, min_df, groups (sessions of repeated efforts), changes to judge
    ("mvic_three_sessions", 2,
     [[512.3, 498.7, 505.1], [530.2, 541.8, 526.4, 535.0], [549.9, 538.2]],
     [(505.4, 533.4), (505.4, 515.0), (533.4, 544.05)]),
    ("holds_with_single", 2,
     [[310.2, 305.5], [320.1], [298.4, 301.9, 307.7, 299.0, 303.3]],
     [(307.85, 320.1), (302.06, 330.0)]),
    ("with_nan", 2,
     [[250.0, float("nan"), 262.5, 255.25], [270.0, 268.5], [float("nan")]],
     [(255.9, 269.25)]),
    ("not_enough", 2,
     [[400.0, 410.0], [420.0]],
     [(405.0, 420.0)]),
    ("one_session_min1", 1,
     [[88.125, 91.5]],
     [(89.8, 99.0), (89.8, 92.0)]),
    ("lsi_many", 2,
     [[92.1, 94.3, 90.8, 93.6], [95.2, 96.1, 94.7], [97.3, 96.6, 98.2, 97.9, 96.8],
      [93.0, 95.5], [99.1, 98.4, 98.9]],
     [(92.7, 97.36), (95.33, 96.2), (92.7, 98.8)]),
]

ASYM_SETS = [
    ("right_weaker_certain", 10.0,
     [300, 305, 298, 310, 302], [250, 255, 262, 248, 251]),
    ("straddles", 10.0,
     [300, 290, 310], [280, 300, 250]),
    ("even", 10.0,
     [300, 302, 299, 301], [298, 300, 297, 303]),
    ("left_weaker_certain", 10.0,
     [200.5, 210.25, 205.0, 198.0, 202.0, 207.5], [260.0, 255.5, 262.0, 258.0, 259.5, 261.0]),
    ("two_efforts_wide", 10.0,
     [400, 300], [300, 400]),
    ("one_effort", 10.0,
     [300], [200]),
    ("skips_bad", 5.0,
     [300, float("nan"), 0, 310, 305], [290, 280, 0, 300, 296]),
    ("threshold_15", 15.0,
     [300, 305, 298, 310, 302], [250, 255, 262, 248, 251]),
]


def g(x):
    return "nan" if isinstance(x, float) and math.isnan(x) else repr(float(x))


def same(a, b):
    """Two reference lines agree: words equal, numbers to 1e-12 relative."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    for x, y in zip(wa, wb):
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            if x != y:
                return False
            continue
        if math.isnan(fx) or math.isnan(fy):
            if not (math.isnan(fx) and math.isnan(fy)):
                return False
        elif abs(fx - fy) > 1e-12 * max(1.0, abs(fy)):
            return False
    return True


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    args = sys.argv[1:]
    check = bool(args) and args[0] == "--check"
    if check:
        args = args[1:]
    out = args[0] if args else os.path.join(here, "change_ref.txt")
    lines = compute()
    if check:
        with open(out) as f:
            have = [l.rstrip("\n") for l in f if not l.startswith("#")]
        want = [l for l in lines if not l.startswith("#")]
        if len(have) != len(want):
            print("%s: %d lines, the script gives %d" % (out, len(have), len(want)))
            return 1
        for i, (h, w) in enumerate(zip(have, want)):
            if not same(h, w):
                print("%s: item %d differs:\n  file:   %s\n  script: %s" % (out, i + 1, h, w))
                return 1
        print("ok: %s agrees with the script (%d items)" % (out, len(want)))
        return 0
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %s: %d lines" % (out, len(lines)))
    return 0


def compute():
    lines = ["# generated by tests/rehab/gen_change_ref.py (numpy %s, scipy %s); do not edit"
             % (np.__version__, scipy.__version__)]
    for p in (0.975, 0.95, 0.995):
        for df in list(range(1, 41)) + [45, 50, 60, 80, 100, 120, 200, 500, 1000]:
            pol, raw = t_polished(p, df)
            if df == 1:
                assert abs(pol - math.tan(math.pi * (p - 0.5))) < 1e-12 * pol
            if df == 2:
                assert abs(pol - (2 * p - 1) / math.sqrt(2 * p * (1 - p))) < 1e-12 * pol
            assert abs(pol - raw) < 1e-7 * pol, "t.ppf far from its polished value"
            lines.append("t %s %d %s %s" % (g(p), df, g(pol), g(raw)))
    for name, min_df, groups, changes in TE_SETS:
        valid, te, df, mdc, grand, pct = te_of(groups, min_df)
        lines.append("te %s %d" % (name, min_df))
        for grp in groups:
            lines.append("group " + " ".join(g(v) for v in grp))
        lines.append("te_end %d %s %d %s %s %s" % (valid, g(te), df, g(mdc), g(grand), g(pct)))
        for before, after in changes:
            change = after - before
            label = "not_enough" if not valid else ("real" if abs(change) > mdc else "noise")
            lines.append("judge %s %s %s %s %s" % (name, g(before), g(after), g(change), label))
    for name, thr, left, right in ASYM_SETS:
        n, mean, sd, t, half, lo, hi, flag, weaker = asym_of(left, right, thr)
        lines.append("asym %s %s" % (name, g(thr)))
        lines.append("left " + " ".join(g(v) for v in left))
        lines.append("right " + " ".join(g(v) for v in right))
        lines.append("asym_end %d %s %s %s %s %s %s %s %d"
                     % (n, g(mean), g(sd), g(t), g(half), g(lo), g(hi), flag, weaker))
    return lines


if __name__ == "__main__":
    sys.exit(main())
