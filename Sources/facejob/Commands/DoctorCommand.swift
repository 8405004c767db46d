import ArgumentParser
import CFFmpeg
import CFaiss
import COpenBLAS
import Common
import FaceEngine
import Foundation
import Postgres
import Store

/// `facejob doctor`: Check libraries, model files and the database; print how to fix what is missing.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check libraries, model files and the database; print how to fix what is missing.",
        discussion: """
        Prints one line per check, OK or MISSING, and for each problem the command that fixes it \
        (--json: the same as a JSON document, docs/database.md). Exit status 0 only when everything \
        is in place, 69 otherwise. The embedded database is not started by this check. The `cores` \
        line says how many cores jobs use: the machine's, narrowed by CPU affinity (taskset, \
        --cpuset-cpus) and the cgroup CPU quota (--cpus, a Kubernetes limit).
        """)

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON (docs/database.md).") var json = false

    @Flag(help: .hidden) var blasKernel = false

    /// The converted model files facejob runs.
    static let modelFiles = ["mtcnn.fjm", "dlib_shape_predictor_5.fjm", "dlib_resnet_v1.fjm"]

    func run() async throws {
        if blasKernel {
            // For scripts/test: in-process tests must run the kernels the binary re-executes with.
            print(BLASKernel.current)
            return
        }
        try await mapErrors {
            var checks = [ffmpegCheck(), openBLASCheck(), oneDNNCheck(), faissCheck(), coresCheck()]
            checks += DoctorCommand.modelFiles.map { modelCheck($0, folder: FacejobPaths().models) }
            checks += databaseChecks(database.locator)
            let problems = checks.filter { !$0.ok }.count
            if json {
                try JSONOutput.print(DoctorReport(checks: checks))
                if problems > 0 { throw ExitCode(ExitStatus.unavailable.rawValue) }
                return
            }
            let width = checks.map(\.name.count).max() ?? 0
            for check in checks {
                let name = check.name.padding(toLength: width, withPad: " ", startingAt: 0)
                print("\(check.ok ? "OK     " : "MISSING") \(name)  \(check.detail)")
                if let fix = check.fix, !check.ok { print("        \(String(repeating: " ", count: width))  fix: \(fix)") }
            }
            if problems > 0 {
                print("\(problems) problem\(problems == 1 ? "" : "s") found")
                throw ExitCode(ExitStatus.unavailable.rawValue)
            }
            print("all checks passed")
        }
    }
}

/// One line of the doctor's report.
struct DoctorCheck: Encodable {
    let name: String
    let ok: Bool
    let detail: String
    /// The command that fixes it; nil when nothing needs fixing.
    let fix: String?

    enum CodingKeys: String, CodingKey { case name, ok, detail, fix }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(ok, forKey: .ok)
        try c.encode(detail, forKey: .detail)
        try c.encode(ok ? nil : fix, forKey: .fix)  // null when the check passed
    }
}

/// `facejob doctor --json`.
struct DoctorReport: Encodable {
    let checks: [DoctorCheck]

    enum CodingKeys: String, CodingKey { case ok, problems, checks }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let problems = checks.filter { !$0.ok }.count
        try c.encode(problems == 0, forKey: .ok)
        try c.encode(problems, forKey: .problems)
        try c.encode(checks, forKey: .checks)
    }
}

private func libraryVersion(_ v: UInt32) -> String { "\(v >> 16).\((v >> 8) & 0xff).\(v & 0xff)" }

private func ffmpegCheck() -> DoctorCheck {
    let versions = "libavformat \(libraryVersion(avformat_version())), libavcodec \(libraryVersion(avcodec_version())), "
        + "libswscale \(libraryVersion(swscale_version())), libavutil \(libraryVersion(avutil_version()))"
    return DoctorCheck(name: "FFmpeg libraries", ok: true, detail: versions, fix: nil)
}

private func openBLASCheck() -> DoctorCheck {
    let config = openblas_get_config().map { String(cString: $0).trimmingCharacters(in: .whitespaces) } ?? "unknown"
    return DoctorCheck(name: "OpenBLAS", ok: true, detail: "\(config), kernels \(BLASKernel.current), \(openblas_get_num_threads()) threads", fix: nil)
}

private func oneDNNCheck() -> DoctorCheck {
    DoctorCheck(name: "oneDNN", ok: true, detail: "version \(ConvolutionLibrary.version)", fix: nil)
}

private func faissCheck() -> DoctorCheck {
    let version = cfaiss_version().map { String(cString: $0) } ?? "unknown"
    return DoctorCheck(name: "FAISS", ok: true, detail: "version \(version)", fix: nil)
}

private func coresCheck() -> DoctorCheck {
    DoctorCheck(name: "cores", ok: true, detail: AvailableCores.description, fix: nil)
}

private func modelCheck(_ file: String, folder: String) -> DoctorCheck {
    let path = folder + "/" + file
    do {
        let model = try ModelFile(path: path)
        return DoctorCheck(name: "model \(file)", ok: true,
                           detail: "\(model.model) v\(model.modelVersion), sha256 \(model.sha256.prefix(12))…, \(path)",
                           fix: nil)
    } catch {
        let why = (error as? ModelFileError).map { problem($0, path: path) } ?? "\(error)"
        return DoctorCheck(name: "model \(file)", ok: false, detail: why, fix: "scripts/setup")
    }
}

/// The model error without its own "run scripts/setup" advice (the fix line carries it).
private func problem(_ error: ModelFileError, path: String) -> String {
    switch error {
    case .missing: return "\(path) not found"
    default: return error.description.components(separatedBy: "; run scripts/setup").first ?? error.description
    }
}

private func databaseChecks(_ locator: DatabaseLocator) -> [DoctorCheck] {
    let name = "database"
    var fix = "facejob db start"
    if locator.explicitURL == nil {
        if (try? PostgresServerTools.locate()) == nil {
            let sudo = geteuid() == 0 ? "" : "sudo "
            return [DoctorCheck(name: "PostgreSQL server", ok: false, detail: "initdb/pg_ctl not installed",
                                fix: "\(sudo)apt-get install -y postgresql-15 (or scripts/setup)")]
        }
        do {
            let status = try locator.cluster.status()
            guard status.running else {
                return [DoctorCheck(name: name, ok: false,
                                    detail: "embedded database \(status.initialized ? "is stopped" : "not created yet") "
                                        + "(\(locator.cluster.root))", fix: fix)]
            }
        } catch {
            return [DoctorCheck(name: name, ok: false, detail: "\(error)", fix: fix)]
        }
    } else {
        fix = "check \(locator.source.rawValue) and that the server at \(locator.displayURL) is running"
    }
    let connection: PostgresConnection
    do {
        connection = try locator.connect(migrate: false, startEmbedded: false)
    } catch {
        return [DoctorCheck(name: name, ok: false, detail: "\(error)", fix: fix)]
    }
    var checks = [DoctorCheck(name: name, ok: true,
                              detail: "\(locator.source.rawValue), PostgreSQL \(versionText(connection.serverVersion)), "
                                  + locator.displayURL, fix: nil)]
    let migrateFix = "facejob db migrate" + (locator.source == .option ? " --database URL" : "")
    do {
        let version = try Migrator().currentVersion(connection) ?? 0
        let latest = Migrations.latestVersion
        if version == latest {
            checks.append(DoctorCheck(name: "database schema", ok: true, detail: "version \(version)", fix: nil))
        } else if version < latest {
            checks.append(DoctorCheck(name: "database schema", ok: false,
                                      detail: "version \(version), this facejob needs \(latest)", fix: migrateFix))
        } else {
            checks.append(DoctorCheck(name: "database schema", ok: false,
                                      detail: "version \(version) is newer than this facejob (\(latest))",
                                      fix: "upgrade facejob"))
        }
    } catch {
        checks.append(DoctorCheck(name: "database schema", ok: false, detail: "\(error)", fix: migrateFix))
    }
    return checks
}
