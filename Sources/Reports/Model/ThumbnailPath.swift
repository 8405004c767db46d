/// Where a hit's face thumbnail lives inside the report folder. One rule shared by the pipeline
/// that writes thumbnails and the writers that link them; zero-padded so a file listing sorts in
/// input and time order.
public enum ThumbnailPath {
    /// `thumbs/i003/f000004512-t0012.jpg` for input 3, frame 4512, track 12.
    public static func forHit(inputIndex: Int, frameIndex: Int64, trackID: Int64) -> String {
        "thumbs/i" + pad(Int64(inputIndex), 3) + "/f" + pad(frameIndex, 9) + "-t" + pad(trackID, 4) + ".jpg"
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
