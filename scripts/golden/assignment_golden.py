"""Golden buckets for src/experiments/stats/assignment.spec.ts, computed independently with hashlib.

bucket = first 4 bytes of sha256(utf8(key + ':' + unit)), big-endian unsigned, mod 10000 (README
"A/B tests": sha256(experiment key ':' unit id) -> bucket). A change that reassigns units (another
hash, byte order, separator or modulus) changes these numbers.

Run with the Debian interpreter: /usr/bin/python3 scripts/golden/assignment_golden.py
and paste the printed rows into the spec.
"""
import hashlib
import json

CASES = [
    ("exp-1", "user-7"),
    ("exp-2", "user-7"),
    ("exp-1", "user-8"),
    ("digits-ab-2026", "3f2a9c0e-5b1d-4e7a-9c2f-8d6b1a0e4c37"),
    ("k", ""),
    ("", "u"),
    ("key:with:colons", "unit"),
    ("caf\u00e9", "\u00fcnit-\u2603"),
    ("exp", "unit-0"),
    ("exp", "unit-19999"),
]



def bucket(key, unit):
    digest = hashlib.sha256(f"{key}:{unit}".encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 10000


print("// [experimentKey, unitId, bucket]")
for key, unit in CASES:
    print(f"[{json.dumps(key, ensure_ascii=False)}, {json.dumps(unit, ensure_ascii=False)}, {bucket(key, unit)}],")

# Units on either side of a 30 % share (threshold bucket 3000): 2999 is in, 3000 is out.
print("// [experimentKey, unitId, bucket] at the 30 % boundary")
for target in (2999, 3000):
    unit = next(f"unit-{i}" for i in range(10**7) if bucket("exp", f"unit-{i}") == target)
    print(f'["exp", "{unit}", {target}],')
