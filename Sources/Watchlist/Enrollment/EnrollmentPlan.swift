import Foundation
import Store

/// The files of an enrolment with the identity each goes to: files and folders under one named
/// identity, or folders of identity subfolders, each subfolder named after its identity.
public enum EnrollmentPlan {
    /// File endings taken as photos when a folder is expanded. HEIC/HEIF photos are taken too, so
    /// that a phone's folder reports them as unreadable (naming the format) instead of skipping them.
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "gif", "ppm", "pgm",
                                                      "heic", "heif", "avif"]

    /// Files under `identity`, or folders of identity subfolders when `identity` is nil.
    public static func expand(_ paths: [String], identity: IdentitySpec?) throws -> [EnrollmentFile] {
        let fm = FileManager.default
        var out: [EnrollmentFile] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
            if let identity {
                if exists && isDirectory.boolValue {
                    out += try images(in: path).map { EnrollmentFile(path: $0, identity: identity) }
                } else {
                    out.append(EnrollmentFile(path: path, identity: identity))  // a missing file is reported as unreadable
                }
                continue
            }
            guard exists, isDirectory.boolValue else {
                throw WatchlistError.invalid("\(path) is not a folder; without --identity each argument must be a "
                                             + "folder with one subfolder per identity")
            }
            for sub in try fm.contentsOfDirectory(atPath: path).sorted() where !sub.hasPrefix(".") {
                let full = (path as NSString).appendingPathComponent(sub)
                var subIsDirectory: ObjCBool = false
                guard fm.fileExists(atPath: full, isDirectory: &subIsDirectory), subIsDirectory.boolValue else { continue }
                out += try images(in: full).map { EnrollmentFile(path: $0, identity: IdentitySpec(name: sub)) }
            }
        }
        return out
    }

    private static func images(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            .filter { imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .map { (folder as NSString).appendingPathComponent($0) }
    }
}
