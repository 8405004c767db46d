import Foundation

/// Writes the unknown persons report: `unknowns.csv`, `unknowns.json` and `unknowns.html`.
public enum UnknownsReportSet {
    /// Writes the three files into `directory` (created if needed), returns them in that order.
    /// Every file is rendered before any is written, so an unsafe thumbnail path leaves no partial set.
    @discardableResult
    public static func write(_ report: UnknownsReport, to directory: URL) throws -> [URL] {
        let csv = UnknownsCSVWriter(), json = UnknownsJSONWriter(), html = UnknownsHTMLWriter()
        let files = [
            (csv.fileName, csv.render(report)),
            (json.fileName, json.render(report)),
            (html.fileName, try html.render(report)),
        ]
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotWrite(directory.path, "cannot create folder: \(error.localizedDescription)")
        }
        var written: [URL] = []
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try AtomicFile.write(Data(text.utf8), to: url)
            written.append(url)
        }
        return written
    }
}
