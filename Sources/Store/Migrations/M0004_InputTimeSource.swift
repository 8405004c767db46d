import Postgres

extension Migration {
    /// Where an input's recording start came from (the manifest's `recorded_at`, or the file name
    /// read with the glob's pattern), so every report can tell the analyst what its wall-clock
    /// times rest on.
    static let m0004InputTimeSource = Migration(version: 4, name: "input_time_source", sql: """
        ALTER TABLE job_inputs ADD COLUMN recorded_at_source text;
        """)
}
