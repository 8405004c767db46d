#!/usr/bin/env python3
"""Reference numbers for the watchlist's real-photo test: face_recognition (dlib HOG detector,
1 upsampling, 5-point landmarks, ResNet v1) on faces/deepface.

Identities are the connected components of master.csv's Yes pairs. Every image of a component
with at least two images is enrolled (its largest face); then each image is searched leave-one-out
(its own face excluded) and counts as found when the nearest other face belongs to its identity
within 0.6. Writes deepface_rank1.json beside this script.

  /tmp/facejob-ref/bin/python Tests/WatchlistTests/Golden/make_deepface_rank1.py [DATA_DIR]
"""
import csv
import json
import os
import sys

import warnings

warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
import face_recognition  # noqa: E402
import numpy as np  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../../shared/data")
folder = os.path.join(data, "faces/deepface")

parent = {}


def find(x):
    parent.setdefault(x, x)
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


with open(os.path.join(folder, "master.csv")) as f:
    for row in csv.DictReader(f):
        find(row["file_x"]), find(row["file_y"])
        if row["Decision"].strip() == "Yes":
            parent[find(row["file_x"])] = find(row["file_y"])

groups = {}
for image in sorted(parent):
    groups.setdefault(find(image), []).append(image)
components = sorted((sorted(v) for v in groups.values() if len(v) >= 2), key=lambda v: v[0])
identity_of = {img: "identity-%02d" % i for i, members in enumerate(components) for img in members}

encodings = {}
for image in sorted(identity_of):
    pixels = face_recognition.load_image_file(os.path.join(folder, image))
    boxes = face_recognition.face_locations(pixels, number_of_times_to_upsample=1, model="hog")
    if not boxes:
        print("no face: %s" % image, file=sys.stderr)
        continue
    largest = max(boxes, key=lambda b: (b[2] - b[0]) * (b[1] - b[3]))
    encodings[image] = face_recognition.face_encodings(pixels, known_face_locations=[largest])[0]

results = {}
for image in sorted(identity_of):
    if image not in encodings:
        results[image] = {"identity": identity_of[image], "face": False, "rank1": False}
        continue
    others = [o for o in encodings if o != image]
    distances = [float(np.linalg.norm(encodings[o] - encodings[image])) for o in others]
    best = int(np.argmin(distances))
    found = identity_of[others[best]] == identity_of[image] and distances[best] <= 0.6
    results[image] = {"identity": identity_of[image], "face": True, "rank1": found,
                      "nearest": others[best], "distance": round(distances[best], 4)}

found = sum(r["rank1"] for r in results.values())
document = {
    "generator": "Tests/WatchlistTests/Golden/make_deepface_rank1.py",
    "reference": "face_recognition %s, dlib HOG upsample 1, largest face, leave-one-out, threshold 0.6"
                 % face_recognition.__version__,
    "identities": {identity_of[m[0]]: m for m in components},
    "images": results,
    "rank1_found": found,
    "images_total": len(results),
}
with open(os.path.join(here, "deepface_rank1.json"), "w") as f:
    json.dump(document, f, indent=1, sort_keys=True)
print("reference leave-one-out rank-1: %d / %d" % (found, len(results)), file=sys.stderr)
