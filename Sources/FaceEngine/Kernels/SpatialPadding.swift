/// How a convolution or pooling window treats the border, i.e. the output size and where the
/// first window starts. Padded positions contribute zero to a convolution and are ignored by
/// pooling (max over, or mean of, the positions inside the input), as in dlib, Keras/TensorFlow
/// and Caffe.
public enum SpatialPadding: Sendable, Equatable {
    /// Keras/TensorFlow `"valid"`: no padding, `out = floor((in - k) / s) + 1`.
    case valid
    /// Keras/TensorFlow `"same"`: `out = ceil(in / s)`; the total padding
    /// `max((out - 1) * s + k - in, 0)` is split with the smaller half before.
    case same
    /// Symmetric padding with floor rounding, dlib's and Caffe-convolution's convention:
    /// `out = 1 + (in + 2 * p - k) / s`.
    case symmetric(y: Int, x: Int)
    /// Caffe pooling's ceil rounding: `out = ceil((in + 2 * p - k) / s) + 1`, minus one when
    /// the last window would start in the padding.
    case ceil(y: Int, x: Int)

    /// Output length and padding before the first element along one axis.
    public func resolve(input: Int, kernel: Int, stride: Int, axisIsY: Bool) -> (output: Int, padBefore: Int) {
        switch self {
        case .valid:
            return (input >= kernel ? (input - kernel) / stride + 1 : 0, 0)
        case .same:
            let out = (input + stride - 1) / stride
            let total = max((out - 1) * stride + kernel - input, 0)
            return (out, total / 2)
        case .symmetric(let py, let px):
            let p = axisIsY ? py : px
            let span = input + 2 * p - kernel
            return (span >= 0 ? 1 + span / stride : 0, p)
        case .ceil(let py, let px):
            let p = axisIsY ? py : px
            let span = input + 2 * p - kernel
            guard span >= 0 else { return (0, p) }
            var out = (span + stride - 1) / stride + 1
            if p > 0 && (out - 1) * stride >= input + p { out -= 1 }
            return (out, p)
        }
    }
}
