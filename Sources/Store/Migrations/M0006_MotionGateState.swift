import Postgres

extension Migration {
    /// The motion gate's state (its background and when it last searched a whole frame) after an
    /// input's checkpointed frame, committed with the checkpoint, so a resumed input gates the
    /// following frames exactly as an uninterrupted run does.
    static let m0006MotionGateState = Migration(version: 6, name: "motion_gate_state", sql: """
        ALTER TABLE job_inputs ADD COLUMN gate_state bytea;
        """)
}
