"""Golden resizes for src/inference/preprocess/image-preprocessor.spec.ts, computed with Pillow.

The service resizes with sharp (libvips, Lanczos-3, fit "fill"). This script draws smooth test
images with numpy, saves them as PNG, and resizes them with Pillow's own Lanczos
(Image.LANCZOS: a = 3, support widened by the scale factor when shrinking, as libvips does),
an implementation that shares no code with sharp. The two agree to a few grey levels on smooth
images; nearest-neighbour, bilinear without antialiasing or a crop instead of a stretch do not.

Needs Debian's python3-pil: apt-get install python3-pil
Run: /usr/bin/python3 scripts/golden/preprocess_golden.py   (writes test/fixtures/preprocess/)
"""
import json
import math
import os

import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "preprocess")


def smooth(width, height, channels):
    """A smooth, non-symmetric pattern (waves plus a ramp), different per channel, as uint8."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    planes = []
    for c in range(channels):
        wave = 80 * np.sin(2 * math.pi * x / (width * 0.9 + 7 * c)) * np.cos(2 * math.pi * y / (height * 1.3 + 5 * c))
        ramp = 60 * (x / width - y / height) + 20 * c
        planes.append(np.clip(np.rint(128 + wave + ramp), 0, 255))
    return np.stack(planes, axis=-1).astype(np.uint8)


CASES = [
    # name, source width, height, channels, target width, height
    ("grey-32x32-to-8x8", 32, 32, 1, 8, 8),
    ("rgb-40x24-to-8x8", 40, 24, 3, 8, 8),  # aspect changes: "fill" stretches, it does not crop
    ("grey-20x12-to-10x6", 20, 12, 1, 10, 6),
]

os.makedirs(OUT, exist_ok=True)
expected = {}
for name, w, h, c, tw, th in CASES:
    pixels = smooth(w, h, c)
    mode = "L" if c == 1 else "RGB"
    image = Image.fromarray(pixels[:, :, 0] if c == 1 else pixels, mode)
    image.save(os.path.join(OUT, f"{name}.png"))
    resized = np.asarray(image.resize((tw, th), Image.LANCZOS)).reshape(th, tw, c)
    expected[name] = {"width": tw, "height": th, "channels": c, "hwc": resized.flatten().tolist()}

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"generator": "Pillow " + Image.__version__ + " Image.LANCZOS", "cases": expected}, f, indent=1)
print("wrote", ", ".join(expected), "to", os.path.normpath(OUT))
