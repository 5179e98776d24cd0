#!/usr/bin/python3
"""Exports the standard torchvision classifier families to ONNX and computes PyTorch's answers.

Weights are RANDOM (fixed seed per family; there is no internet to download ImageNet weights),
which is enough to prove that the service computes what PyTorch computes, and how fast.

For each family, under .zoo/<family>/ (gitignored):
  model.onnx       input "input" float32 [N,3,224,224] (dynamic N), output "logits" [N,1000]
  expected.json    parameters, opset, input spec, and PyTorch's float32 logits for every image
and once, under .zoo/images/:
  <photo>.jpg      the original photographs (scikit-learn's sample images)
  <photo>-224.png  each resized (shorter side 256, PIL bilinear, as torchvision.transforms.Resize)
                   and centre-cropped to 224x224 (torchvision.transforms.CenterCrop), saved
                   losslessly, so the service and PyTorch read the very same 8-bit pixels

PyTorch's input is normalised as the service does it: (pixel * (1/255) - mean) / std, in float64
then rounded to float32 (src/inference/preprocess/normalise.ts).

Debian dependencies: python3-torch python3-torchvision python3-onnx python3-sklearn python3-pil
Run: /usr/bin/python3 scripts/zoo/export_zoo.py [family ...]   (default: all seven)
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
import torchvision
from PIL import Image
from torchvision import transforms

SEED = 20240601
# torch 1.13's exporter goes up to opset 17 (LayerNormalization for ConvNeXt, Swin and ViT).
OPSET = 17
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, ".zoo")
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
SCALE = 1.0 / 255.0

# Family name -> torchvision constructor. Ordered from fast to slow.
FAMILIES = {
    "mobilenet_v3_large": torchvision.models.mobilenet_v3_large,
    "regnet_y_400mf": torchvision.models.regnet_y_400mf,
    "resnet50": torchvision.models.resnet50,
    "efficientnet_v2_s": torchvision.models.efficientnet_v2_s,
    "convnext_tiny": torchvision.models.convnext_tiny,
    "swin_t": torchvision.models.swin_t,
    "vit_b_16": torchvision.models.vit_b_16,
}


def photographs():
    """The real photographs shipped with scikit-learn (and scikit-image's, when it is installed)."""
    from sklearn.datasets import load_sample_images

    data = load_sample_images()
    photos = [(os.path.splitext(os.path.basename(f))[0], img) for f, img in zip(data.filenames, data.images)]
    try:
        from skimage import data as skdata

        photos += [("astronaut", skdata.astronaut()), ("coffee", skdata.coffee()), ("chelsea", skdata.chelsea())]
    except ImportError:
        pass
    return photos


def prepare_images():
    """Writes the photographs and their 224x224 crops; returns [(name, uint8 HWC 224x224)] and the PIL photos."""
    folder = os.path.join(OUT, "images")
    os.makedirs(folder, exist_ok=True)
    resize_crop = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224)])
    prepared, photos = [], []
    for name, pixels in photographs():
        photo = Image.fromarray(pixels).convert("RGB")
        photos.append(photo)
        photo.save(os.path.join(folder, name + ".jpg"), quality=95)
        cropped = resize_crop(photo)
        cropped.save(os.path.join(folder, name + "-224.png"))
        # Read back what was written, so PyTorch sees exactly the bytes the service decodes.
        prepared.append((name, np.asarray(Image.open(os.path.join(folder, name + "-224.png")).convert("RGB"))))
    return prepared, photos


def to_input(images):
    """uint8 [N,224,224,3] -> float32 NCHW, normalised like src/inference/preprocess/normalise.ts."""
    hwc = np.stack(images).astype(np.float64)
    normalised = (hwc * SCALE - np.array(MEAN)) / np.array(STD)
    return torch.from_numpy(normalised.astype(np.float32).transpose(0, 3, 1, 2).copy())


def calibrate_batch_norm(model, photos):
    """Sets every BatchNorm's running statistics from random crops of the photographs.

    With random weights and the default statistics (mean 0, variance 1), activations vanish or
    explode through the depth (MobileNetV3's logits come out around 1e-10, ResNet-50's around
    30): the comparison would be vacuous or dominated by magnitude. Real statistics give logits
    of order 1, as a trained network's are. The weights stay random.
    """
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # a cumulative average over the calibration batches
    crop = transforms.RandomResizedCrop(224)
    model.train()
    with torch.no_grad():
        for _ in range(4):
            batch = [np.asarray(crop(photo)) for photo in photos for _ in range(8)]
            model(to_input(batch))
    model.eval()


def build(family, photos):
    torch.manual_seed(SEED)
    model = FAMILIES[family](weights=None)
    if family == "vit_b_16":
        # torchvision zero-initialises ViT's head: every logit would be 0 and the check vacuous.
        torch.nn.init.normal_(model.heads.head.weight, std=0.02)
        torch.nn.init.normal_(model.heads.head.bias, std=0.02)
    calibrate_batch_norm(model, photos)
    return model.eval()


def export(family, images, photos):
    folder = os.path.join(OUT, family)
    os.makedirs(folder, exist_ok=True)
    model = build(family, photos)
    path = os.path.join(folder, "model.onnx")
    torch.onnx.export(
        model,
        torch.zeros(1, 3, 224, 224),
        path,
        input_names=["input"],
        output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=OPSET,
        do_constant_folding=True,
    )
    onnx.checker.check_model(path)
    with torch.no_grad():
        logits = model(to_input([pixels for _, pixels in images])).numpy()
    expected = {
        "family": family,
        "torchvision": torchvision.__version__,
        "torch": torch.__version__,
        "seed": SEED,
        "opset": OPSET,
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "logitsStd": float(logits.std()),
        "inputSpec": {
            "layout": "NCHW",
            "channels": 3,
            "height": 224,
            "width": 224,
            "scale": SCALE,
            "mean": MEAN,
            "std": STD,
            "output": "logits",
        },
        "images": [name for name, _ in images],
        "logits": [[float(v) for v in row] for row in logits],
    }
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f)
    size = os.path.getsize(path) / 1e6
    print("%-20s %7.1f MB  %10d parameters  logits std %.3g" % (family, size, expected["parameters"], expected["logitsStd"]))


def main(argv):
    families = argv or list(FAMILIES)
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        print("unknown families: %s (known: %s)" % (", ".join(unknown), ", ".join(FAMILIES)))
        return 2
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    images, photos = prepare_images()
    for family in families:
        export(family, images, photos)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
