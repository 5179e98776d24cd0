"""Golden values for src/experiments/stats specs, computed independently with statsmodels/scipy.

Run with the Debian interpreter: /usr/bin/python3 scripts/golden/experiments_golden.py
Paste the printed rows into the specs.
"""
from scipy.stats import chisquare
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import confint_proportions_2indep

print("// McNemar [championOnly, challengerOnly, statistic, pValue]")
for b, c in [(3, 9), (0, 5), (10, 10), (12, 1), (40, 22), (13, 87), (150, 180)]:
    exact = b + c < 25
    r = mcnemar([[0, b], [c, 0]], exact=exact, correction=True)
    print(f"[{b}, {c}, {float(r.statistic)!r}, {float(r.pvalue)!r}],")

print("// SRM [champion, challenger, share, statistic, pValue]")
for a, b, share in [(500, 500, 0.5), (520, 480, 0.5), (5000, 5300, 0.5), (900, 100, 0.1), (880, 120, 0.1), (7000, 3100, 0.3), (5000, 5600, 0.5)]:
    n = a + b
    r = chisquare([a, b], f_exp=[n * (1 - share), n * share])
    print(f"[{a}, {b}, {share}, {float(r.statistic)!r}, {float(r.pvalue)!r}],")

print("// Newcombe challenger - champion [chCorrect, chN, cCorrect, cN, level, lower, upper]")
for c1, n1, c2, n2, level in [(863, 899, 779, 898, 0.95), (480, 500, 470, 500, 0.99), (95, 100, 87, 100, 0.9)]:
    lo, up = confint_proportions_2indep(c1, n1, c2, n2, method="newcomb", compare="diff", alpha=1 - level)
    print(f"[{c1}, {n1}, {c2}, {n2}, {level}, {float(lo)!r}, {float(up)!r}],")
