"""Golden values for src/evaluation/stats/intervals.spec.ts, from statsmodels (run with /usr/bin/python3).

    /usr/bin/python3 scripts/golden/evaluation_golden.py

Prints TypeScript rows to paste into the spec: the TypeScript is never used to produce them.
"""
import statsmodels
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

WILSON = [(0, 10), (10, 10), (1, 1), (0, 1), (575, 599), (519, 599), (7, 20), (50, 100), (999, 1000), (3, 2000)]
NEWCOMBE = [
    (575, 599, 519, 599),
    (575, 599, 557, 599),
    (0, 10, 10, 10),
    (10, 10, 0, 10),
    (10, 10, 10, 10),
    (0, 5, 0, 7),
    (45, 50, 460, 500),
    (960, 1000, 930, 1000),
]


def main():
    print(f"// statsmodels {statsmodels.__version__}, z(0.975) = {stats.norm.isf(0.025)!r}")
    print("const wilson = [")
    for alpha in (0.05, 0.1):
        for count, n in WILSON:
            low, upp = proportion_confint(count, n, alpha=alpha, method="wilson")
            print(f"  [{count}, {n}, {1 - alpha}, {low!r}, {upp!r}],")
    print("];")
    print("const newcombe = [")
    for alpha in (0.05, 0.1):
        for c1, n1, c2, n2 in NEWCOMBE:
            low, upp = confint_proportions_2indep(c1, n1, c2, n2, method="newcomb", compare="diff", alpha=alpha)
            print(f"  [{c1}, {n1}, {c2}, {n2}, {1 - alpha}, {low!r}, {upp!r}],")
    print("];")


if __name__ == "__main__":
    main()
