"""Golden values for src/experiments/stats specs, computed independently with statsmodels/scipy.

Run with the Debian interpreter: /usr/bin/python3 scripts/golden/experiments_golden.py
Paste the printed rows into the specs.
scipy 1.10.1 and statsmodels 0.13.5 (Debian bookworm) gave the rows in the specs.
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

# mSPRT confidence sequence (Johari, Pekelis, Walsh 2017), normal approximation, normal mixture
# N(0, tau2) over the difference. Computed from the definition, not the closed form the service
# uses: the mixture likelihood ratio Lambda(theta) = integral of N(d; theta+delta, V) / N(d; theta, V)
# over delta ~ N(0, tau2) is integrated numerically and the bounds are the thetas where it equals
# 1/alpha (Brent's root finder). V = sum over arms of p~(1-p~)/n, p~ = (correct+2)/(n+4)
# (Agresti-Coull's two successes and two failures, variance only; d uses the raw proportions).
import math

from scipy import integrate, optimize


def arm_variance(correct, n):
    p = (correct + 2) / (n + 4)
    return p * (1 - p) / n


def mixture_lr(d, theta, v, tau2):
    st = math.sqrt(tau2)

    def integrand(delta):
        # log N(d; theta+delta, V) - log N(d; theta, V), times the N(0, tau2) density of delta
        log_ratio = ((d - theta) ** 2 - (d - theta - delta) ** 2) / (2 * v)
        return math.exp(log_ratio - delta**2 / (2 * tau2)) / (st * math.sqrt(2 * math.pi))

    # The integrand peaks between 0 and d - theta; give quad the range where its mass lies.
    lo, hi = min(0.0, d - theta) - 12 * st, max(0.0, d - theta) + 12 * st
    value, _ = integrate.quad(integrand, lo, hi, points=[0.0, d - theta], epsabs=0, epsrel=1e-13, limit=200)
    return value


def confidence_sequence(champion, challenger, level, tau2):
    (c1, n1), (c2, n2) = champion, challenger
    d = c2 / n2 - c1 / n1
    v = arm_variance(c1, n1) + arm_variance(c2, n2)
    threshold = 1 / (1 - level)
    excess = lambda theta: math.log(mixture_lr(d, theta, v, tau2)) - math.log(threshold)
    # Lambda grows without bound as |theta - d| grows: widen until it passes 1/alpha, then bracket.
    width = math.sqrt(v)
    while excess(d - width) < 0 or excess(d + width) < 0:
        width *= 2
    lower = optimize.brentq(excess, d - width, d, xtol=1e-15, rtol=1e-15)
    upper = optimize.brentq(excess, d, d + width, xtol=1e-15, rtol=1e-15)
    return d, lower, upper


print("// mSPRT [championCorrect, championN, challengerCorrect, challengerN, level, tau2, difference, lower, upper]")
cases = [
    ((90, 100), (95, 100), 0.95, 0.0025),
    ((9000, 10000), (9500, 10000), 0.95, 0.0025),
    ((850, 1000), (870, 1000), 0.95, 0.0025),
    ((4050, 4500), (470, 500), 0.95, 0.0025),  # 10/90 shares
    ((427, 500), (3980, 4500), 0.95, 0.0025),  # 90/10 shares
    ((2660, 2800), (1152, 1200), 0.9, 0.0025),  # 30/70 shares
    ((2660, 2800), (1152, 1200), 0.99, 0.0025),
    ((860, 1000), (900, 1000), 0.95, 0.01),
    ((860, 1000), (900, 1000), 0.95, 0.0004),
    ((100, 100), (95, 100), 0.95, 0.0025),  # an arm with p-hat = 1
    ((0, 120), (3, 300), 0.95, 0.0025),  # an arm with p-hat = 0
    ((575, 599), (519, 599), 0.95, 0.0025),  # digits cnn vs weak
]
for champion, challenger, level, tau2 in cases:
    d, lower, upper = confidence_sequence(champion, challenger, level, tau2)
    print(f"[{champion[0]}, {champion[1]}, {challenger[0]}, {challenger[1]}, {level}, {tau2}, {d!r}, {lower!r}, {upper!r}],")
