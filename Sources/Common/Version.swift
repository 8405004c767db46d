/// facejob's version, printed by `facejob --version` and written into every report header.
public enum FacejobVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
