"""Times dlib's compute_face_descriptor on one real face with whichever dlib this interpreter has.

Prints one line: dlib version, BLAS flag, ms per descriptor and faces/s on one thread. Used by
setup-venv and build-dlib-blas to show what each peer costs; `--json` prints the same as JSON.
"""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import face_recognition_models  # noqa: E402  (first: face_recognition quit()s with status 0 without it)
import dlib  # noqa: E402
import face_recognition  # noqa: E402


def main() -> None:
    data = os.environ.get("FACEJOB_TEST_DATA", "/work/shared/data")
    path = os.path.join(data, "faces/face_recognition/obama.jpg")
    if not os.path.exists(path):
        print(f"time_descriptor: {path} not found (set FACEJOB_TEST_DATA); skipping timing")
        return
    img = face_recognition.load_image_file(path)
    rects = dlib.get_frontal_face_detector()(img, 1)
    if not rects:
        sys.exit(f"time_descriptor: no face found in {path}")
    sp = dlib.shape_predictor(face_recognition_models.pose_predictor_five_point_model_location())
    net = dlib.face_recognition_model_v1(face_recognition_models.face_recognition_model_location())
    shape = sp(img, rects[0])
    net.compute_face_descriptor(img, shape)  # warm-up
    n = int(os.environ.get("FACEJOB_TIME_N", "10"))
    start = time.perf_counter()
    for _ in range(n):
        net.compute_face_descriptor(img, shape)
    per = (time.perf_counter() - start) / n
    result = {"dlib_version": dlib.__version__, "blas": bool(dlib.DLIB_USE_BLAS),
              "openblas_threads": os.environ["OPENBLAS_NUM_THREADS"], "n": n,
              "ms_per_descriptor": round(per * 1000, 2), "faces_per_s": round(1 / per, 2)}
    if "--json" in sys.argv:
        print(json.dumps(result))
    else:
        print("descriptor timing: dlib {dlib_version} blas={blas} threads={openblas_threads}: "
              "{ms_per_descriptor} ms/face, {faces_per_s} faces/s (n={n})".format(**result))


if __name__ == "__main__":
    main()
