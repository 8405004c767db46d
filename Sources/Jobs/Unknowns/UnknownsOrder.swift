import Store

/// What the report and the listing say alike about an unknown person: where a sighting counts as
/// a camera, what "promoted to" reads, and who comes first.
enum UnknownsOrder {
    /// A sighting's camera: the manifest's camera, else its footage (an input without a camera is
    /// a camera of its own).
    static func cameraKey(camera: String?, footageSHA256: String) -> String {
        camera.map { "camera:\($0)" } ?? "input:\(footageSHA256)"
    }

    /// `watchlist: identity <id>` once promoted, else nil.
    static func promotedTo(_ p: UnknownPerson) -> String? {
        guard p.status == "promoted" else { return nil }
        return [p.watchlistName, p.identityID.map { "identity \($0)" }].compactMap { $0 }.joined(separator: ": ")
    }

    /// Most distinct cameras first, then most sightings, then the lower id.
    static func precedes(_ a: (cameras: Int, sightings: Int, label: String), _ b: (cameras: Int, sightings: Int, label: String)) -> Bool {
        if a.cameras != b.cameras { return a.cameras > b.cameras }
        if a.sightings != b.sightings { return a.sightings > b.sightings }
        return (UnknownPerson.id(a.label) ?? 0) < (UnknownPerson.id(b.label) ?? 0)
    }
}
