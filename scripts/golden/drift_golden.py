#!/usr/bin/python3
"""Golden values for src/drift/stats, computed independently with scipy (and mpmath where scipy
underflows). Run with the Debian interpreter that has scipy 1.10:

    /usr/bin/python3 scripts/golden/drift_golden.py

and paste the printed TypeScript literals into the specs named in each block.
Smoothing matches the TypeScript contract: P = (counts + a) / (n + k*a) on both sides.
"""
import mpmath
import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2, chi2_contingency, entropy

mpmath.mp.dps = 50

# (name, current, reference, pseudocount)
DIVERGENCE_CASES = [
    ("k=2", [30, 70], [50, 50], 0.5),
    ("zero bin in current", [0, 10, 20, 30, 40], [20, 20, 20, 20, 20], 0.5),
    ("zero bins in reference, unequal totals", [5, 5, 5, 5, 5], [0, 25, 25, 0, 50], 0.5),
    ("unequal totals", [12, 40, 7, 1], [300, 1200, 250, 50], 0.5),
    ("bin empty on both sides", [0, 5, 10, 0], [0, 8, 3, 9], 0.5),
    ("identical", [10, 20, 30], [10, 20, 30], 0.5),
    ("pseudocount 1", [3, 0, 9, 4], [5, 5, 5, 1], 1.0),
    ("pseudocount 0, no empty reference bin", [3, 0, 9, 4], [5, 5, 5, 1], 0.0),
    (
        "k=20",
        [0, 3, 7, 12, 25, 31, 44, 52, 49, 40, 38, 30, 22, 15, 9, 6, 2, 1, 0, 4],
        [2, 5, 9, 14, 20, 28, 35, 41, 45, 47, 45, 41, 35, 28, 20, 14, 9, 5, 2, 0],
        0.5,
    ),
    ("large n, strong shift", [6000, 4000, 2500], [5000, 5000, 2500], 0.5),
    ("tiny p-value, k=2", [3000, 1000], [2000, 2000], 0.5),
]

# Extra homogeneity cases where pooling matters: quantile bins whose underflow/overflow are empty
# in a large reference, and rare classes.
POOLING_CASES = [
    ("structural empty outer bins", [1, 24, 26, 25, 24, 25, 26, 25, 24, 26, 24, 1],
     [0, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 0]),
    ("rare classes", [120, 40, 30, 20, 8, 3, 2, 1, 1, 0], [2500, 1000, 500, 500, 250, 100, 50, 50, 25, 25]),
]

# Chi-square survival function grid: (x, df). Covers the series region (x < df/2 + 1), the
# continued-fraction region, large df, and tails down to 1e-306 and below (log only).
SF_CASES = [
    (0.001, 20), (0.5, 1), (3.841458820694124, 1), (10.0, 3), (30.0, 11), (50.0, 100),
    (100.0, 5), (1000.0, 9), (950.0, 2), (1400.0, 1), (999.0, 999), (1100.0, 999),
    (20000.0, 20000), (37.36673190, 11),
]
LOG_SF_ONLY = [(1600.0, 1), (5000.0, 30)]


def smoothed(counts, a):
    c = np.asarray(counts, dtype=float)
    return (c + a) / (c.sum() + len(c) * a)


def pool_sparse_bins(cur, ref, min_expected):
    """Same rule as poolSparseBins: merge adjacent bins left to right until each pooled bin expects
    >= min_expected observations in the smaller window; the remainder joins the last group."""
    n_cur, n_ref = sum(cur), sum(ref)
    share = min(n_cur, n_ref) / (n_cur + n_ref)
    groups, c, r = [], 0, 0
    for ci, ri in zip(cur, ref):
        c, r = c + ci, r + ri
        if c + r > 0 and (c + r) * share >= min_expected:
            groups.append([c, r])
            c, r = 0, 0
    if c + r > 0:
        if groups:
            groups[-1][0] += c
            groups[-1][1] += r
        else:
            groups.append([c, r])
    return [g[0] for g in groups], [g[1] for g in groups]


def homogeneity_p(cur, ref, min_expected):
    pooled_cur, pooled_ref = pool_sparse_bins(cur, ref, min_expected)
    if len(pooled_cur) < 2:
        return 0.0, 0, 1.0
    # correction=False: no Yates correction, which scipy would otherwise apply when dof == 1
    stat, p, dof, _ = chi2_contingency(np.array([pooled_cur, pooled_ref], dtype=float), correction=False)
    return stat, dof, p


def mp_log_sf(x, df):
    return float(mpmath.log(mpmath.gammainc(mpmath.mpf(df) / 2, mpmath.mpf(x) / 2, mpmath.inf, regularized=True)))


def fmt(v):
    v = float(v)
    return "Infinity" if v == np.inf else repr(v)


def print_divergences():
    print("// divergence.spec.ts: DIVERGENCE_GOLDEN")
    for name, cur, ref, a in DIVERGENCE_CASES:
        p, q = smoothed(cur, a), smoothed(ref, a)
        kl = entropy(p, q)
        js = jensenshannon(p, q) ** 2  # scipy returns the distance sqrt(JS), natural log by default
        with np.errstate(divide="ignore"):  # pseudocount 0 with an empty bin: PSI is +inf
            psi = float(np.sum((p - q) * np.log(p / q)))
        print(f"  {{ name: '{name}', current: {cur}, reference: {ref}, pseudocount: {a}, "
              f"kl: {fmt(kl)}, psi: {fmt(psi)}, js: {fmt(js)} }},")


def print_homogeneity():
    print("// null-distribution.spec.ts: HOMOGENEITY_GOLDEN")
    cases, seen = [], set()
    for name, cur, ref in [(n, c, r) for n, c, r, _ in DIVERGENCE_CASES] + POOLING_CASES:
        if (tuple(cur), tuple(ref)) not in seen:  # the test ignores the pseudocount
            seen.add((tuple(cur), tuple(ref)))
            cases.append((name, cur, ref))
    for min_expected in (0, 5):
        for name, cur, ref in cases:
            stat, dof, p = homogeneity_p(cur, ref, min_expected)
            print(f"  {{ name: '{name}', minExpected: {min_expected}, current: {cur}, reference: {ref}, "
                  f"statistic: {fmt(stat)}, degreesOfFreedom: {dof}, pValue: {fmt(p)} }},")


def print_survival():
    print("// chi-square.spec.ts: SF_GOLDEN (scipy chi2.sf; logSf from mpmath at 50 digits)")
    for x, df in SF_CASES:
        sf = chi2.sf(x, df)
        assert abs(np.log(sf) - mp_log_sf(x, df)) < 1e-12 * max(1.0, abs(np.log(sf))), (x, df)
        print(f"  {{ x: {fmt(x)}, df: {df}, sf: {fmt(sf)}, logSf: {fmt(mp_log_sf(x, df))} }},")
    print("// chi-square.spec.ts: LOG_SF_GOLDEN (below double range; scipy underflows, mpmath)")
    for x, df in LOG_SF_ONLY:
        print(f"  {{ x: {fmt(x)}, df: {df}, logSf: {fmt(mp_log_sf(x, df))} }},")
    print("// defaults.spec.ts: upper quantiles chi2.isf(rate, df)")
    for rate, df in [(1e-4, 11), (1e-4, 9), (1e-3, 9), (1e-4, 999)]:
        print(f"  {{ upperTail: {rate}, df: {df}, x: {fmt(chi2.isf(rate, df))} }},")


def quantile_signal_null_sf(x, bin_count, a=0.5, max_outer=40):
    """Limit of P(n KL > x) for a quantile-binned signal (b = k - 2 interior bins, two outer bins the
    reference leaves empty), equal windows: X + g(C_u) + g(C_o), X ~ chi2(b - 1), C ~ Geometric(1/2)
    on {0, 1, ...}, g(c) = (c + a) ln((c + a) / a) - c. Summed here with scipy's chi2 and geom."""
    from scipy.stats import geom
    df = bin_count - 3
    g = lambda c: (c + a) * np.log((c + a) / a) - c
    total = 0.0
    for u in range(max_outer + 1):
        for o in range(max_outer + 1 - u):
            rest = x - g(u) - g(o)
            tail = (1.0 if rest < 0 else 0.0) if df == 0 else chi2.sf(rest, df)
            total += geom.pmf(u + 1, 0.5) * geom.pmf(o + 1, 0.5) * tail
    return total


def print_quantile_signal_null():
    from math import ceil
    from scipy.optimize import brentq
    print("// quantile-signal-null.spec.ts: NULL_GOLDEN (sf at the chi-square quantile, and the 1e-4 quantile)")
    for k in (3, 4, 5, 7, 12, 20):
        x = chi2.isf(1e-4, k - 1)
        q = brentq(lambda t: quantile_signal_null_sf(t, k) - 1e-4, 1, 400, xtol=1e-12)
        print(f"  {{ binCount: {k}, x: {fmt(x)}, sf: {fmt(quantile_signal_null_sf(x, k))}, quantile: {fmt(q)} }},")
    print("// defaults.spec.ts: minSamplesFor = max(300, ceil(q / threshold)), q the larger of the two quantiles")
    for k, empty, threshold in ((12, True, 0.15), (12, True, 0.10), (12, True, 0.05), (12, False, 0.15), (10, False, 0.15)):
        q = chi2.isf(1e-4, k - 1)
        if empty:
            q = max(q, brentq(lambda t: quantile_signal_null_sf(t, k) - 1e-4, 1, 400, xtol=1e-12))
        print(f"  [{k}, {str(empty).lower()}, {threshold}, {max(300, ceil(q / threshold))}],")


def print_garwood():
    print("// poisson-interval.spec.ts: Garwood 95% [chi2.ppf(0.025, 2x) / 2, chi2.ppf(0.975, 2x + 2) / 2]")
    for x in (0, 1, 5, 83, 1000):
        lo = 0.0 if x == 0 else chi2.ppf(0.025, 2 * x) / 2
        print(f"  [{x}, {fmt(lo)}, {fmt(chi2.ppf(0.975, 2 * x + 2) / 2)}],")


if __name__ == "__main__":
    print_divergences()
    print_homogeneity()
    print_survival()
    print_quantile_signal_null()
    print_garwood()
