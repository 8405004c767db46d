#!/usr/bin/env python3
"""Writes Tests/FaceEngineTests/Golden/mtcnn_reference.json: the faces PyPI `mtcnn` 1.0.0 (on
TensorFlow CPU) finds on the golden images.

Run with the reference venv: /tmp/facejob-ref/bin/python scripts/reference/make_mtcnn_golden.py.

The image goes in as the same RGB array face_recognition loads (PIL), never as a path: mtcnn would
decode a path with TensorFlow's own JPEG decoder. Settings: min_face_size 20, scale_factor 0.709,
thresholds P/R/O 0.6/0.7/0.7, as the golden contract states; note that mtcnn 1.0.0's own default
O-Net threshold is 0.8 (0.7 was the default of the 0.1 releases), so faces with confidence in
[0.7, 0.8) appear here and not in a default-settings run. NMS thresholds are the package defaults.

Per face: "box" [x, y, w, h] exactly as the package's JSON output gives it (rounded to integers by
mtcnn), "box_xyxy" the unrounded [x1, y1, x2, y2] behind it, "confidence", and "keypoints".
Faces are sorted by (y, x) of the unrounded box.
"""
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_common as gc  # noqa: E402

SETTINGS = {"min_face_size": 20, "scale_factor": 0.709, "thresholds": [0.6, 0.7, 0.7]}
KEYPOINTS = ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"]


def face_record(row: np.ndarray) -> dict:
    # row: [image_id, x1, y1, x2, y2, confidence, 5 landmark x, 5 landmark y] (package order)
    x1, y1, x2, y2 = (float(v) for v in row[1:5])
    box = np.asarray([x1, y1, x2 - x1, y2 - y1]).round().astype(int)  # as mtcnn's parse_bbox
    return {
        "box": [int(v) for v in box],
        "box_xyxy": gc.r6list([x1, y1, x2, y2]),
        "confidence": gc.r6(row[5]),
        "keypoints": {name: [gc.r6(row[6 + i]), gc.r6(row[11 + i])] for i, name in enumerate(KEYPOINTS)},
    }


def main() -> None:
    import mtcnn
    import tensorflow as tf

    root = gc.data_root()
    detector = mtcnn.MTCNN(device="CPU:0")
    thresholds = SETTINGS["thresholds"]
    images = []
    for entry in gc.IMAGES:
        start = time.perf_counter()
        img, digest = gc.load_rgb(root, entry)
        rows = detector.detect_faces(img, output_type="numpy", box_format="xyxy",
                                     min_face_size=SETTINGS["min_face_size"],
                                     scale_factor=SETTINGS["scale_factor"],
                                     threshold_pnet=thresholds[0], threshold_rnet=thresholds[1],
                                     threshold_onet=thresholds[2])
        rows = sorted(np.asarray(rows).reshape(-1, 16), key=lambda r: (r[2], r[1]))
        record = gc.image_record(entry, img, digest)
        record["faces"] = [face_record(r) for r in rows]
        images.append(record)
        print(f"{entry['file']}{' (' + entry['derive'] + ')' if entry['derive'] else ''}: "
              f"{img.shape[1]}x{img.shape[0]}: {len(rows)} faces ({time.perf_counter() - start:.1f} s)",
              file=sys.stderr)
    version = getattr(mtcnn, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version
        version = dist_version("mtcnn")
    doc = {"generator": "scripts/reference/make_mtcnn_golden.py", "mtcnn_version": version,
           "tensorflow_version": tf.__version__, "settings": SETTINGS, "images": images}
    out = os.path.join(gc.golden_dir(), "mtcnn_reference.json")
    size = gc.write_golden(out, doc)
    print(f"wrote {out} ({size} bytes, {len(images)} images, "
          f"{sum(len(i['faces']) for i in images)} faces)", file=sys.stderr)


if __name__ == "__main__":
    main()
