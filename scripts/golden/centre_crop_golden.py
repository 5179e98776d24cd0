"""Golden centre crops for src/inference/preprocess/resize-policy.spec.ts, computed with torchvision.

The inputSpec resize policy {"mode": "centre-crop", "shorterSide": S} is ImageNet's evaluation
transform: torchvision.transforms.Resize(S) then CenterCrop((height, width)). This script applies
exactly those transforms (PIL backend, Lanczos like the service's sharp) to patterned images and
records the geometry torchvision chose (resized size, crop offsets) and the pixels. A pattern
that changes by several grey levels per pixel makes a crop one pixel off, a stretch instead of a
crop, or a different resized size fall outside the tolerance of two Lanczos implementations.

Needs Debian's python3-pil and python3-torchvision.
Run: /usr/bin/python3 scripts/golden/centre_crop_golden.py   (writes test/fixtures/preprocess-crop/)
"""
import json
import math
import os

import numpy as np
from PIL import Image
from torchvision import transforms
from torchvision.transforms import InterpolationMode

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "preprocess-crop")


def pattern(width, height):
    """Ramps of 4-5 levels per pixel plus a wave, different per channel, uint8 RGB."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    planes = [20 + 4 * x + 1.5 * y + 25 * np.sin(x / 3 + c) + 30 * c for c in range(3)]
    planes[1] = 230 - 3.5 * y - 0.5 * x + 20 * np.cos(y / 4)
    return np.clip(np.rint(np.stack(planes, axis=-1)), 0, 255).astype(np.uint8)


CASES = [
    # name, source width, height, shorterSide, crop width, height
    ("landscape-60x40-s20-16x16", 60, 40, 20, 16, 16),
    ("portrait-41x64-s14-12x12", 41, 64, 14, 12, 12),  # top = round(4.5) = 4 (half to even)
    ("exact-30x20-s20-16x12", 30, 20, 20, 16, 12),  # shorter side already 20: a crop, no resampling
]

os.makedirs(OUT, exist_ok=True)
expected = {}
for name, w, h, shorter, cw, ch in CASES:
    image = Image.fromarray(pattern(w, h), "RGB")
    image.save(os.path.join(OUT, name + ".png"))
    resized = transforms.Resize(shorter, interpolation=InterpolationMode.LANCZOS)(image)
    cropped = transforms.CenterCrop((ch, cw))(resized)
    rw, rh = resized.size
    expected[name] = {
        "shorterSide": shorter,
        "width": cw,
        "height": ch,
        "resizeWidth": rw,
        "resizeHeight": rh,
        "left": int(round((rw - cw) / 2.0)),
        "top": int(round((rh - ch) / 2.0)),
        "hwc": np.asarray(cropped).flatten().tolist(),
    }

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"generator": "torchvision Resize(LANCZOS) + CenterCrop", "cases": expected}, f, indent=1)
print("wrote", ", ".join(expected), "to", os.path.normpath(OUT))
