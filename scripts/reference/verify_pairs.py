#!/usr/bin/env python3
"""face_recognition's face verification on labelled pairs: the reference numbers facejob's
`verify` is compared with (`scripts/bench engine`).

For each image: face_recognition.face_encodings(load_image_file(path), model="small") with the
chosen detector (face_locations, HOG by default, 1 upsampling), then the first face (`--pick first`,
what face_recognition's examples do) or the largest one (`--pick largest`). A pair is "same" when
face_distance <= threshold (0.6 by default, compare_faces' tolerance). A pair in which either image
has no face is predicted "not same" and listed under not_found.

Datasets (paths relative to $FACEJOB_TEST_DATA, default ../shared/data from the repo root):
  master   faces/deepface/master.csv                 (file_x,file_y,Decision)
  pivot    faces/deepface/face-recognition-pivot.csv (file_x,file_y,decision,...; the
           `deepface/tests/dataset/` prefix is stripped)
Prints one JSON document to stdout, progress to stderr.

  /tmp/facejob-ref/bin/python scripts/reference/verify_pairs.py [--dataset master|pivot|both]
      [--model hog|cnn] [--upsample N] [--threshold 0.6] [--pick first|largest] [--processes N]
"""
import argparse
import csv
import json
import multiprocessing
import os
import sys
import time

import face_recognition_models  # noqa: F401  first: face_recognition quit()s with status 0 without it
import face_recognition
import numpy as np

DATASETS = {
    "master": "faces/deepface/master.csv",
    "pivot": "faces/deepface/face-recognition-pivot.csv",
}
PREFIX = "deepface/tests/dataset/"


def read_pairs(path: str) -> list[tuple[str, str, bool]]:
    pairs = []
    with open(path, newline="") as f:
        rows = csv.reader(f)
        next(rows)  # header
        for row in rows:
            if not row or not row[0].strip():
                continue
            a, b, decision = (c.strip() for c in row[:3])
            if decision not in ("Yes", "No"):
                raise ValueError(f"{path}: unexpected decision {decision!r} in {row}")
            pairs.append((a.removeprefix(PREFIX), b.removeprefix(PREFIX), decision == "Yes"))
    return pairs


def encode(job):
    path, model, upsample, pick = job
    start = time.perf_counter()
    img = face_recognition.load_image_file(path)
    boxes = face_recognition.face_locations(img, number_of_times_to_upsample=upsample, model=model)
    if not boxes:
        return path, None, 0, time.perf_counter() - start
    if pick == "largest":
        boxes = [max(boxes, key=lambda b: (b[2] - b[0]) * (b[1] - b[3]))]
    else:
        boxes = boxes[:1]
    enc = face_recognition.face_encodings(img, known_face_locations=boxes, model="small")[0]
    return path, enc, len(boxes), time.perf_counter() - start


def evaluate(pairs, encodings, threshold) -> dict:
    tp = fp = tn = fn = 0
    not_found = []
    distances = []
    for a, b, same in pairs:
        ea, eb = encodings[a], encodings[b]
        if ea is None or eb is None:
            not_found.append({"file_x": a, "file_y": b, "same": same,
                              "missing": [f for f, e in ((a, ea), (b, eb)) if e is None]})
            predicted, dist = False, None
        else:
            dist = float(face_recognition.face_distance([ea], eb)[0])
            predicted = dist <= threshold
        distances.append(dist)
        if predicted and same:
            tp += 1
        elif predicted and not same:
            fp += 1
        elif not predicted and not same:
            tn += 1
        else:
            fn += 1
    n = len(pairs)
    found = [d for d in distances if d is not None]
    return {"pairs": n, "same": sum(p[2] for p in pairs), "accuracy": round((tp + tn) / n, 4) if n else None,
            "tp": tp, "fp": fp, "tn": tn, "fn": fn,
            "accuracy_excluding_not_found": round((tp + tn - sum(1 for x in not_found if not x["same"]))
                                                  / (n - len(not_found)), 4) if n > len(not_found) else None,
            "not_found": not_found,
            "mean_distance_same": _mean([d for d, p in zip(distances, pairs) if d is not None and p[2]]),
            "mean_distance_different": _mean([d for d, p in zip(distances, pairs) if d is not None and not p[2]]),
            "pairs_with_distance": len(found)}


def _mean(values):
    return round(float(np.mean(values)), 4) if values else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", choices=["master", "pivot", "both"], default="both")
    ap.add_argument("--model", choices=["hog", "cnn"], default="hog")
    ap.add_argument("--upsample", type=int, default=1)
    ap.add_argument("--threshold", type=float, default=0.6)
    ap.add_argument("--pick", choices=["first", "largest"], default="first")
    ap.add_argument("--processes", type=int, default=1)
    args = ap.parse_args()

    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    root = os.environ.get("FACEJOB_TEST_DATA", os.path.join(os.path.dirname(repo), "shared", "data"))
    names = ["master", "pivot"] if args.dataset == "both" else [args.dataset]
    pairs = {}
    for name in names:
        path = os.path.join(root, DATASETS[name])
        if not os.path.exists(path):
            sys.exit(f"verify_pairs: {path} not found (set FACEJOB_TEST_DATA)")
        pairs[name] = read_pairs(path)
    image_dir = os.path.join(root, "faces/deepface")
    files = sorted({f for ps in pairs.values() for a, b, _ in ps for f in (a, b)})
    jobs = [(os.path.join(image_dir, f), args.model, args.upsample, args.pick) for f in files]

    import dlib
    start = time.perf_counter()
    if args.processes > 1:
        with multiprocessing.Pool(args.processes) as pool:
            results = pool.map(encode, jobs, chunksize=1)
    else:
        results = []
        for job in jobs:
            results.append(encode(job))
            print(f"{os.path.basename(job[0])}: {'no face' if results[-1][1] is None else 'ok'} "
                  f"({results[-1][3]:.1f} s)", file=sys.stderr)
    elapsed = time.perf_counter() - start
    encodings = {os.path.basename(p): e for p, e, _, _ in results}
    out = {"reference": "face_recognition 1.3.0 + dlib " + dlib.__version__
           + (" (BLAS)" if dlib.DLIB_USE_BLAS else " (no BLAS)"),
           "model": args.model, "upsample": args.upsample, "threshold": args.threshold, "pick": args.pick,
           "images": len(files), "images_without_face": sorted(f for f, e in encodings.items() if e is None),
           "encode_seconds": round(elapsed, 2), "processes": args.processes,
           "datasets": {name: evaluate(ps, encodings, args.threshold) for name, ps in pairs.items()}}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
