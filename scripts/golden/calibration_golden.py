"""Golden values for src/performance/stats/isotonic.spec.ts, from scikit-learn (run with /usr/bin/python3).

    /usr/bin/python3 scripts/golden/calibration_golden.py > src/performance/stats/calibration.golden.json

Writes the inputs and scikit-learn's answers as JSON: IsotonicRegression(increasing=True,
out_of_bounds='clip', y_min=0, y_max=1) fitted on (confidence, correct) points, with and without
sample weights, its thresholds and predictions on a grid; and the expected calibration error
(15 equal-width bins) computed with numpy. The TypeScript is never used to produce them.
"""
import json

import numpy as np
import sklearn
from sklearn.isotonic import IsotonicRegression


def ece(probability, correct, bins=15):
    probability = np.asarray(probability, dtype=float)
    correct = np.asarray(correct, dtype=float)
    index = np.clip(np.floor(probability * bins).astype(int), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            total += mask.mean() * abs(correct[mask].mean() - probability[mask].mean())
    return total


def case(name, x, y, weights=None):
    model = IsotonicRegression(increasing=True, out_of_bounds="clip", y_min=0, y_max=1)
    model.fit(x, y, sample_weight=weights)
    grid = sorted(set(np.round(np.linspace(-0.1, 1.1, 49), 6).tolist() + list(map(float, x[:20]))))
    return {
        "name": name,
        "x": list(map(float, x)),
        "y": list(map(float, y)),
        "weights": None if weights is None else list(map(float, weights)),
        "thresholdsX": list(map(float, model.X_thresholds_)),
        "thresholdsY": list(map(float, model.y_thresholds_)),
        "grid": grid,
        "predictions": list(map(float, model.predict(grid))),
        "ece": ece(x, y),
    }


def main():
    rng = np.random.default_rng(16)
    cases = []
    # Confidences of a 10-class model: mostly high; correct with probability close to a curve.
    confidence = np.clip(rng.beta(6, 1.2, 600) * 0.9 + 0.1, 0.1, 1.0).astype(np.float32).astype(float)
    correct = (rng.random(600) < confidence ** 1.5).astype(float)
    cases.append(case("beta confidences, 600 points", confidence, correct))
    # Ties: confidences rounded to 2 decimals, so many points share an x with different y.
    tied = np.round(rng.uniform(0.2, 1.0, 300), 2)
    cases.append(case("ties at 2 decimals", tied, (rng.random(300) < tied).astype(float)))
    # Bootstrap-style integer weights, zeros included.
    x = np.sort(rng.uniform(0.3, 1.0, 200))
    y = (rng.random(200) < x).astype(float)
    cases.append(case("multinomial weights", x, y, rng.multinomial(200, np.full(200, 1 / 200)).astype(float)))
    cases.append(case("decreasing: one block", np.array([0.5, 0.6, 0.7, 0.8]), np.array([1.0, 1.0, 0.0, 0.0])))
    cases.append(case("already monotone", np.array([0.3, 0.5, 0.9, 0.95]), np.array([0.0, 0.0, 1.0, 1.0])))
    print(json.dumps({"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}))


if __name__ == "__main__":
    main()
