"""Leaderboard accuracies and paired tests computed independently of the service, for test/leaderboard.

    /usr/bin/python3 scripts/golden/leaderboard_golden.py < answers.json > golden.json

Input: {"labels": [true class per item], "champion": "<version>",
        "versions": {"<version>": {"predicted": [class per item], "probabilities": [[p_c] per item],
                                   "files": [ONNX file paths: one, or an ensemble's members]}}}
(each version's own answers from its predict endpoint, on the same items in the same order).
Output per version: top1 and top5 {correct, accuracy, interval: {lower, upper}} (95% Wilson,
statsmodels proportion_confint), and vsChampion (statsmodels mcnemar: exact binomial below 25
discordant pairs, else chi-square with continuity correction; null for the champion).
Top 5: the true class has fewer than 5 classes scored strictly above it. Also, from the files
(python3-onnx): parameters (element count of every initializer) and fileBytes, summed over files.
"""
import json
import os
import sys

import numpy as np
import onnx
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint


def accuracy(hits):
    n, correct = len(hits), int(hits.sum())
    lower, upper = proportion_confint(correct, n, alpha=0.05, method="wilson")
    return {"correct": correct, "accuracy": correct / n, "interval": {"lower": lower, "upper": upper}}


def sizes(files):
    parameters = sum(int(np.prod(t.dims)) for f in files for t in onnx.load(f).graph.initializer)
    return {"parameters": parameters, "fileBytes": sum(os.path.getsize(f) for f in files)}


def paired(champion, other):
    b = int((champion & ~other).sum())  # champion right, other wrong
    c = int((other & ~champion).sum())
    exact = b + c < 25
    r = mcnemar([[0, b], [c, 0]], exact=exact, correction=True)
    return {"championOnly": b, "challengerOnly": c, "statistic": float(r.statistic), "pValue": float(r.pvalue), "exact": exact}


def main():
    spec = json.load(sys.stdin)
    labels = np.asarray(spec["labels"])
    top1, out = {}, {}
    for version, answers in spec["versions"].items():
        p = np.asarray(answers["probabilities"], dtype=np.float64)
        top1[version] = np.asarray(answers["predicted"]) == labels
        above = (p > p[np.arange(len(labels)), labels][:, None]).sum(axis=1)
        out[version] = {"top1": accuracy(top1[version]), "top5": accuracy(above < 5), **sizes(answers["files"])}
    for version in out:
        champion = top1[spec["champion"]]
        out[version]["vsChampion"] = None if version == spec["champion"] else paired(champion, top1[version])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
