"""Reader for dlib's binary serialization (dlib/serialize.h), as used by its .dat model files.

Integers: one control byte (bit 7 = negative, low 4 bits = byte count n), then n bytes, little
endian. Strings: an integer length, then the bytes. Bools: ASCII '1' or '0'. Scalar floats:
dlib's portable float_details, an integer mantissa and an integer exponent (value = m * 2**e;
exponents 32000..32002 mean +inf, -inf, NaN). dnn tensors (version 2): four integer dimensions,
then raw little-endian float32 values. Matrices: integer rows and columns (negated in the newer
format), then each element.
"""
import numpy as np


class DlibFormatError(Exception):
    """The file does not follow the layout the converter expects."""


class DlibStream:
    def __init__(self, data, name):
        self.data = data
        self.pos = 0
        self.name = name

    def fail(self, what):
        raise DlibFormatError(f"{self.name}: {what} at byte {self.pos}")

    def byte(self):
        if self.pos >= len(self.data):
            self.fail("unexpected end of file")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def integer(self):
        control = self.byte()
        n = control & 0x0F
        if n == 0 or n > 8 or control & 0x70:
            self.fail(f"bad integer control byte 0x{control:02x}")
        if self.pos + n > len(self.data):
            self.fail("truncated integer")
        v = int.from_bytes(self.data[self.pos:self.pos + n], "little")
        self.pos += n
        return -v if control & 0x80 else v

    def string(self):
        n = self.integer()
        if n < 0 or self.pos + n > len(self.data):
            self.fail("bad string length")
        s = self.data[self.pos:self.pos + n]
        self.pos += n
        try:
            return s.decode("ascii")
        except UnicodeDecodeError:
            self.fail("string is not ASCII")

    def boolean(self):
        b = self.byte()
        if b not in (0x30, 0x31):
            self.fail(f"bad bool byte 0x{b:02x}")
        return b == 0x31

    def real(self):
        if self.pos < len(self.data) and self.data[self.pos] & 0x70:
            self.fail("old ASCII float format is not supported")
        mantissa = self.integer()
        exponent = self.integer()
        if exponent == 32000:
            return float("inf")
        if exponent == 32001:
            return float("-inf")
        if exponent == 32002:
            return float("nan")
        return float(np.ldexp(np.float64(mantissa), exponent))

    def tensor(self):
        """A dnn resizable_tensor: returns a float32 array shaped (n, k, nr, nc)."""
        version = self.integer()
        if version != 2:
            self.fail(f"tensor version {version}, expected 2")
        dims = [self.integer() for _ in range(4)]
        count = int(np.prod(dims))
        end = self.pos + 4 * count
        if any(d < 0 for d in dims) or end > len(self.data):
            self.fail(f"bad tensor dimensions {dims}")
        values = np.frombuffer(self.data[self.pos:end], dtype="<f4").reshape(dims)
        self.pos = end
        return values.astype(np.float32)

    def alias_tensor(self):
        """An alias_tensor header (a view into a layer's params): returns its dimensions."""
        version = self.integer()
        if version != 1:
            self.fail(f"alias_tensor version {version}, expected 1")
        return [self.integer() for _ in range(4)]

    def matrix(self):
        """A dlib::matrix<float> of scalar floats, as a float64 array (rows, cols)."""
        nr, nc = abs(self.integer()), abs(self.integer())
        return np.array([self.real() for _ in range(nr * nc)], dtype=np.float64).reshape(nr, nc)

    def at_end(self):
        return self.pos == len(self.data)
