"""Writer for facejob's model file format (.fjm), shared by the converters in this folder.

Layout (all integers little-endian):
  0   8 bytes  magic b"FACEJOBM"
  8   u32      format version (1)
  12  u32      header length H
  16  H bytes  UTF-8 JSON header: {"model", "version", "source", "meta", "tensors": [
                 {"name", "shape", "dtype": "f32", "offset", "count"}]} with keys sorted
  ..  zero padding to a multiple of 64 bytes; that position is the data start
  ..  tensors, float32 little-endian, each at data start + offset (offsets are multiples of 64)

The output is a pure function of the inputs (sorted keys, no timestamps), so the SHA-256 of a
converted file is stable and can be checked by the Swift loader.
"""
import json
import struct

import numpy as np

MAGIC = b"FACEJOBM"
FORMAT_VERSION = 1
ALIGN = 64


def _pad(n):
    return (ALIGN - n % ALIGN) % ALIGN


def write(path, model, tensors, source, meta=None, model_version=1):
    """Writes `tensors` (list of (name, ndarray)) in the given order."""
    entries, offset, blobs = [], 0, []
    for name, array in tensors:
        a = np.ascontiguousarray(np.asarray(array, dtype="<f4"))
        entries.append({"name": name, "shape": list(a.shape), "dtype": "f32",
                        "offset": offset, "count": int(a.size)})
        blob = a.tobytes()
        blobs.append(blob + b"\0" * _pad(len(blob)))
        offset += len(blob) + _pad(len(blob))
    header = json.dumps({"model": model, "version": model_version, "source": source,
                         "meta": meta or {}, "tensors": entries},
                        sort_keys=True, separators=(",", ":")).encode()
    prefix = MAGIC + struct.pack("<II", FORMAT_VERSION, len(header)) + header
    with open(path, "wb") as f:
        f.write(prefix + b"\0" * _pad(len(prefix)))
        for blob in blobs:
            f.write(blob)
