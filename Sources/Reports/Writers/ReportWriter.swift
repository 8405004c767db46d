import Foundation

/// One report format: renders a bundle into a file of the report directory.
public protocol ReportWriter {
    /// File name inside the report directory.
    var fileName: String { get }
    /// The file's complete content.
    func render(_ bundle: ReportBundle) throws -> String
    /// Writes files the main file links to (the HTML report's enrolled photos); none by default.
    func writeSupportingFiles(_ bundle: ReportBundle, to directory: URL) throws
}

extension ReportWriter {
    /// Nothing to write besides the main file.
    public func writeSupportingFiles(_ bundle: ReportBundle, to directory: URL) throws {}

    /// Renders and writes the file atomically into `directory`; returns the file's URL.
    @discardableResult
    public func write(_ bundle: ReportBundle, to directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(fileName)
        let text = try render(bundle)
        try writeSupportingFiles(bundle, to: directory)
        try AtomicFile.write(Data(text.utf8), to: url)
        return url
    }
}

/// Writes the requested formats: `csv` means `hits.csv` and `sightings.csv`.
public enum ReportSet {
    /// Writes every file of the requested formats into `directory`, returns them in a fixed order.
    @discardableResult
    public static func write(_ bundle: ReportBundle, formats: Set<ReportFormat>, to directory: URL) throws -> [URL] {
        var written: [URL] = []
        if formats.contains(.csv) {
            written.append(try CSVReportWriter().write(bundle, to: directory))
            written.append(try SightingsCSVWriter().write(bundle, to: directory))
        }
        if formats.contains(.json) { written.append(try JSONReportWriter().write(bundle, to: directory)) }
        if formats.contains(.html) { written.append(try HTMLReportWriter().write(bundle, to: directory)) }
        return written
    }
}
