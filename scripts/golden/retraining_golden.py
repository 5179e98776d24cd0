"""Golden values for src/evaluation/stats/retraining-rule.spec.ts, computed independently.

    /usr/bin/python3 scripts/golden/retraining_golden.py

z comes from statsmodels' pooled two-proportion z test; the CUSUM sequence is a separate Python
implementation of the rule as README "Evaluation" states it, with Newcombe intervals from
statsmodels. Prints TypeScript rows to paste into the spec: the TypeScript never produces them.
"""
import statsmodels
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

K, H, SHEWHART, MAX_DROP_PP, MIN_LABELS = 0.5, 6.0, 4.0, 0.5, 500

Z_CASES = [(850, 1000, 820, 1000), (4250, 5000, 830, 1000), (575, 599, 519, 599), (90, 100, 95, 100), (9000, 10000, 880, 1000)]

# (correct, n) per weekly evaluation; accuracy 0.85, then a drop to ~0.83 from week 5, then 0.75.
SEQUENCE = [
    (850, 1000), (862, 1000), (845, 1000), (300, 400), (548, 600), (828, 1000), (831, 1000),
    (826, 1000), (835, 1000), (829, 1000), (750, 1000), (752, 1000), (100, 200),
]

# 300,000 labels a week: a 0.4-point drop is strong evidence (z > 4) but within 0.5 pp, so it is dismissed.
SEQUENCE_LARGE = [(255000, 300000), (253800, 300000), (254100, 300000), (253900, 300000)]


def newcombe_drop(c1, n1, c2, n2):
    low, upp = confint_proportions_2indep(c1, n1, c2, n2, method="newcomb", compare="diff", alpha=0.05)
    return (c1 / n1 - c2 / n2) * 100, low * 100, upp * 100


def rule(sequence):
    base_c = base_n = 0
    pre_c = pre_n = run_c = run_n = 0
    pend_c = pend_n = 0
    s = 0.0
    rows = []
    for c, n in sequence:
        c, n = c + pend_c, n + pend_n
        if n < MIN_LABELS:
            pend_c, pend_n = c, n
            rows.append(("insufficient_labels", None, s, None))
            continue
        pend_c = pend_n = 0
        if base_n == 0:
            base_c, base_n, s = c, n, 0.0
            rows.append(("baseline", None, s, None))
            continue
        z, _ = proportions_ztest([base_c, c], [base_n, n], alternative="larger")
        new_s = max(0.0, s + z - K)
        if s == 0:
            pre_c, pre_n, run_c, run_n = base_c, base_n, c, n
        else:
            run_c, run_n = run_c + c, run_n + n
        change = newcombe_drop(pre_c, pre_n, run_c, run_n)
        signal = new_s > H or z > SHEWHART
        if signal and change[0] > MAX_DROP_PP:
            rows.append(("fired", z, new_s, change))
            base_c, base_n, s = c, n, 0.0
            continue
        base_c, base_n = base_c + c, base_n + n
        if signal:
            rows.append(("dismissed_below_threshold", z, new_s, change))
            s = 0.0
        else:
            s = new_s
            rows.append(("no_evidence" if s == 0 else "evidence_accumulating", z, s, change))
    return rows


def main():
    print(f"// statsmodels {statsmodels.__version__}")
    print("const zCases = [")
    for c1, n1, c2, n2 in Z_CASES:
        z, _ = proportions_ztest([c1, c2], [n1, n2], alternative="larger")
        print(f"  [{c1}, {n1}, {c2}, {n2}, {z!r}],")
    print("];")
    for name, sequence in (("sequence", SEQUENCE), ("largeSequence", SEQUENCE_LARGE)):
        print(f"const {name} = [")
        for (c, n), (decision, z, s, change) in zip(sequence, rule(sequence)):
            zs = "null" if z is None else repr(float(z))
            ch = "null" if change is None else "[" + ", ".join(repr(float(v)) for v in change) + "]"
            print(f"  [{c}, {n}, '{decision}', {zs}, {float(s)!r}, {ch}],")
        print("];")


if __name__ == "__main__":
    main()
