"""Converts the MTCNN weights of the PyPI package `mtcnn` 1.0.0 into facejob's `mtcnn.fjm`.

Usage: python convert_mtcnn.py --source-dir DIR --out-dir DIR

DIR (source) holds the downloaded package: the wheel `mtcnn-1.0.0-*.whl`, or an unpacked copy with
`mtcnn/assets/weights/{pnet,rnet,onet}.lz4`. Those files are joblib pickles (lz4-compressed) of the
lists Keras' `model.get_weights()` returns for the networks in `mtcnn/network/*.py`.

Layouts written (facejob's kernels work on NCHW tensors):
  <net>.<conv>.weight  [out, in, kh, kw]   from Keras [kh, kw, in, out]
  <net>.<conv>.bias    [out]
  <net>.<prelu>.alpha  [channels]          from Keras [1, 1, C] (shared over rows and columns)
  <net>.<fc>.weight    [out, in]           from Keras [in, out]
  <net>.<fc>.bias      [out]
The first dense layer of R-Net and O-Net follows `Permute((2, 1, 3))` + `Flatten` of an NHWC map,
i.e. its inputs are ordered (column, row, channel). facejob flattens NCHW maps as (channel, row,
column), so the converter reorders that layer's input axis once here.

Needs numpy, joblib and lz4. The output is deterministic (see fjm.py), so its SHA-256 identifies it.
"""
import argparse
import glob
import hashlib
import os
import sys
import tempfile
import zipfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fjm  # noqa: E402

PACKAGE = "mtcnn"
PACKAGE_VERSION = "1.0.0"
MODEL_VERSION = 1

# Keras weight order of each network (attribute order in mtcnn/network/*.py), with our names.
# Entries: (kind, name, keras shape); for the flatten-dense, the map (rows, cols, channels) it reads.
LAYOUT = {
    "pnet": [
        ("conv", "conv1", (3, 3, 3, 10)), ("prelu", "prelu1", (1, 1, 10)),
        ("conv", "conv2", (3, 3, 10, 16)), ("prelu", "prelu2", (1, 1, 16)),
        ("conv", "conv3", (3, 3, 16, 32)), ("prelu", "prelu3", (1, 1, 32)),
        ("conv", "conv4_1", (1, 1, 32, 4)), ("conv", "conv4_2", (1, 1, 32, 2)),
    ],
    "rnet": [
        ("conv", "conv1", (3, 3, 3, 28)), ("prelu", "prelu1", (1, 1, 28)),
        ("conv", "conv2", (3, 3, 28, 48)), ("prelu", "prelu2", (1, 1, 48)),
        ("conv", "conv3", (2, 2, 48, 64)), ("prelu", "prelu3", (1, 1, 64)),
        ("flatdense", "fc4", (576, 128), (3, 3, 64)), ("prelu", "prelu4", (128,)),
        ("dense", "fc5_1", (128, 4)), ("dense", "fc5_2", (128, 2)),
    ],
    "onet": [
        ("conv", "conv1", (3, 3, 3, 32)), ("prelu", "prelu1", (1, 1, 32)),
        ("conv", "conv2", (3, 3, 32, 64)), ("prelu", "prelu2", (1, 1, 64)),
        ("conv", "conv3", (3, 3, 64, 64)), ("prelu", "prelu3", (1, 1, 64)),
        ("conv", "conv4", (2, 2, 64, 128)), ("prelu", "prelu4", (1, 1, 128)),
        ("flatdense", "fc5", (1152, 256), (3, 3, 128)), ("prelu", "prelu5", (256,)),
        ("dense", "fc6_1", (256, 4)), ("dense", "fc6_2", (256, 10)), ("dense", "fc6_3", (256, 2)),
    ],
}


def find_weights(source_dir, workdir):
    """Returns {net: path of <net>.lz4}, unpacking the wheel into workdir when needed."""
    def lookup(root):
        found = {}
        for net in LAYOUT:
            hits = sorted(glob.glob(os.path.join(root, "**", "mtcnn", "assets", "weights", f"{net}.lz4"),
                                    recursive=True))
            if hits:
                found[net] = hits[0]
        return found

    found = lookup(source_dir)
    if len(found) == len(LAYOUT):
        return found
    wheels = sorted(glob.glob(os.path.join(source_dir, "**", f"{PACKAGE}-{PACKAGE_VERSION}-*.whl"), recursive=True))
    if not wheels:
        raise SystemExit(f"convert_mtcnn: no {PACKAGE}-{PACKAGE_VERSION} wheel or unpacked weights under "
                         f"{source_dir}; run scripts/models/fetch")
    with zipfile.ZipFile(wheels[0]) as z:
        for net in LAYOUT:
            z.extract(f"mtcnn/assets/weights/{net}.lz4", workdir)
    return lookup(workdir)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def convert_net(net, arrays):
    """Yields (name, array) in our layouts for one network's Keras weight list."""
    arrays = list(arrays)
    for entry in LAYOUT[net]:
        kind, name, shape = entry[0], entry[1], entry[2]
        if kind == "prelu":
            alpha = arrays.pop(0)
            if alpha.shape != shape:
                raise SystemExit(f"convert_mtcnn: {net}.{name} has shape {alpha.shape}, expected {shape}")
            yield f"{net}.{name}.alpha", alpha.reshape(-1)
            continue
        kernel, bias = arrays.pop(0), arrays.pop(0)
        if kernel.shape != shape or bias.shape != (shape[-1],):
            raise SystemExit(f"convert_mtcnn: {net}.{name} has shapes {kernel.shape}/{bias.shape}, "
                             f"expected {shape}/({shape[-1]},)")
        if kind == "conv":
            weight = kernel.transpose(3, 2, 0, 1)
        elif kind == "dense":
            weight = kernel.T
        else:  # dense after Permute((2,1,3)) + Flatten: Keras input index = (col, row, channel)
            rows, cols, channels = entry[3]
            weight = (kernel.reshape(cols, rows, channels, shape[1])
                      .transpose(3, 2, 1, 0)              # -> [out, channel, row, col]
                      .reshape(shape[1], channels * rows * cols))
        yield f"{net}.{name}.weight", weight
        yield f"{net}.{name}.bias", bias
    if arrays:
        raise SystemExit(f"convert_mtcnn: {net} has {len(arrays)} unexpected extra arrays")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--out-dir", required=True)
    args = parser.parse_args()

    import joblib  # imported late so that --help works without it

    with tempfile.TemporaryDirectory() as workdir:
        paths = find_weights(args.source_dir, workdir)
        tensors, hashes = [], {}
        for net in LAYOUT:
            tensors.extend(convert_net(net, joblib.load(paths[net])))
            hashes[f"{net}_lz4_sha256"] = sha256(paths[net])

    os.makedirs(args.out_dir, exist_ok=True)
    out = os.path.join(args.out_dir, "mtcnn.fjm")
    meta = {"input_mean": 127.5, "input_scale": 1.0 / 128.0, **hashes}
    fjm.write(out + ".tmp", "mtcnn", tensors, source=f"pypi:{PACKAGE}=={PACKAGE_VERSION}",
              meta=meta, model_version=MODEL_VERSION)
    os.replace(out + ".tmp", out)
    print(f"convert_mtcnn: wrote {out} ({len(tensors)} tensors, sha256 {sha256(out)})")


if __name__ == "__main__":
    main()
