"""Ensemble voting computed independently of the service (numpy), for test/ensembles.

    /usr/bin/python3 scripts/golden/ensemble_golden.py members.json > golden.json

Input: {"voting": "hard"|"soft", "weights": [w_i], "members": [[[p_ic for c] for item] for member]}
(the member probabilities the service answered for each member version on its own).
Output: {"predicted": [class per item], "probabilities": [[...] per item]}.

hard: the class most members pick as top-1; a tie goes to the tied class with the highest mean
member probability (then the lowest index). Its scores are (votes + mean) / (m + 1).
soft: sum_i w_i p_i / sum_i w_i.
"""
import json
import sys

import numpy as np


def hard(p):
    m, n, k = p.shape
    votes = np.zeros((n, k))
    for i in range(m):
        votes[np.arange(n), p[i].argmax(axis=1)] += 1
    mean = p.mean(axis=0)
    predicted = []
    for r in range(n):
        tied = np.flatnonzero(votes[r] == votes[r].max())
        predicted.append(int(tied[np.argmax(mean[r, tied])]))
    return predicted, (votes + mean) / (m + 1)


def soft(p, w):
    combined = np.tensordot(w, p, axes=1) / w.sum()
    return [int(c) for c in combined.argmax(axis=1)], combined


def main(path):
    with open(path) as f:
        spec = json.load(f)
    p = np.asarray(spec["members"], dtype=np.float64)
    if spec["voting"] == "hard":
        predicted, probabilities = hard(p)
    else:
        predicted, probabilities = soft(p, np.asarray(spec["weights"], dtype=np.float64))
    json.dump({"predicted": predicted, "probabilities": probabilities.tolist()}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
