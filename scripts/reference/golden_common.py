"""What the golden generators share: the image list, loading images exactly as the references do,
derived images, rounding, and a JSON writer that keeps number arrays on one line.

Paths are relative to the data root ($FACEJOB_TEST_DATA, default ../shared/data from the repo root).
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import PIL.Image

# Several people, sizes from 320x240 to 2280x1588, 4:4:4 and 4:2:0 JPEGs, the RGBA PNG, one
# grayscale derived image, partial and small faces, a couple and a crowd.
IMAGES = [
    {"file": "faces/face_recognition/obama.jpg", "derive": None},
    {"file": "faces/face_recognition/obama.jpg", "derive": "gray"},
    {"file": "faces/face_recognition/obama-240p.jpg", "derive": None},
    {"file": "faces/face_recognition/obama-1080p.jpg", "derive": None},
    {"file": "faces/face_recognition/obama_small.jpg", "derive": None},
    {"file": "faces/face_recognition/obama_partial_face.jpg", "derive": None},
    {"file": "faces/face_recognition/biden.jpg", "derive": None},
    {"file": "faces/face_recognition/two_people.jpg", "derive": None},
    {"file": "faces/face_recognition/32bit.png", "derive": None},
    {"file": "faces/deepface/img1.jpg", "derive": None},
    {"file": "faces/deepface/img11.jpg", "derive": None},
    {"file": "faces/deepface/img12.jpg", "derive": None},
    {"file": "faces/deepface/img16.jpg", "derive": None},
    {"file": "faces/deepface/img25.jpg", "derive": None},
    {"file": "faces/deepface/couple.jpg", "derive": None},
    {"file": "faces/deepface/selfie-many-people.jpg", "derive": None},
]

MAX_BYTES = 300_000


def data_root() -> str:
    """The test data root; exits with a clear message when it is missing."""
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    root = os.environ.get("FACEJOB_TEST_DATA", os.path.join(os.path.dirname(repo), "shared", "data"))
    if not os.path.isdir(os.path.join(root, "faces")):
        sys.exit(f"test data not found at {root} (set FACEJOB_TEST_DATA)")
    return root


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_rgb(root: str, entry: dict) -> tuple[np.ndarray, str]:
    """The HxWx3 uint8 array face_recognition.load_image_file gives (PIL, convert("RGB"): alpha is
    dropped, not composited; gray is replicated), and the source file's SHA-256.

    A derived image is made with the same ffmpeg command the Swift tests run, then loaded the same way.
    """
    src = os.path.join(root, entry["file"])
    digest = sha256_file(src)
    if entry["derive"] is None:
        return np.array(PIL.Image.open(src).convert("RGB")), digest
    if entry["derive"] != "gray":
        raise ValueError(f"unknown derive {entry['derive']!r}")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "derived.png")
        subprocess.run(["ffmpeg", "-v", "error", "-i", src, "-pix_fmt", "gray", "-frames:v", "1", out],
                       check=True)
        return np.array(PIL.Image.open(out).convert("RGB")), digest


def r6(x: float) -> float:
    """A float rounded to 6 significant digits (keeps the files small; far below test tolerances)."""
    return float(f"{float(x):.6g}")


def r6list(values) -> list:
    return [r6(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def rgb_mean(img: np.ndarray) -> list:
    return r6list(img.reshape(-1, 3).mean(axis=0))


def image_record(entry: dict, img: np.ndarray, digest: str) -> dict:
    return {"file": entry["file"], "derive": entry["derive"], "sha256": digest,
            "width": int(img.shape[1]), "height": int(img.shape[0]), "rgb_mean": rgb_mean(img)}


def _is_flat(value) -> bool:
    """A list of scalars, or a list of short lists of scalars (points): printed on one line."""
    if not isinstance(value, list):
        return False
    return all(not isinstance(v, (list, dict)) or
               (isinstance(v, list) and all(not isinstance(w, (list, dict)) for w in v)) for v in value)


def _emit(value, indent: int) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        items = [f'{pad} {json.dumps(k)}: {_emit(v, indent + 1)}' for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and not _is_flat(value):
        items = [f"{pad} {_emit(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, separators=(",", ":"))


def write_golden(path: str, doc: dict) -> int:
    """Writes doc as JSON (number arrays on one line) and returns its size; refuses files over 300 KB."""
    text = _emit(doc, 0) + "\n"
    json.loads(text)  # the writer must round-trip
    if len(text.encode()) > MAX_BYTES:
        sys.exit(f"{path}: {len(text.encode())} bytes, over the {MAX_BYTES} byte budget")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return len(text.encode())


def golden_dir() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(os.path.dirname(os.path.dirname(here)), "Tests", "FaceEngineTests", "Golden")
