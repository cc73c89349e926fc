public import WorldModel

/// A loaded, validated scenario: the world description and where it came from.
public struct Scenario: Sendable {
    /// The validated world, faults, operator actions and expectations.
    public var spec: WorldSpec
    /// The path (or source name) it was loaded from.
    public var sourcePath: String
    /// The file's leading comment block, without the `#` markers (what the scenario covers and teaches).
    public var headerComment: String
    /// The recorded (golden) timeline file `dnscascade check` compares the run with, resolved against the scenario
    /// file's directory; `nil` when the scenario keeps none.
    public var goldenTimelinePath: String?

    public init(spec: WorldSpec, sourcePath: String, headerComment: String, goldenTimelinePath: String? = nil) {
        self.spec = spec
        self.sourcePath = sourcePath
        self.headerComment = headerComment
        self.goldenTimelinePath = goldenTimelinePath
    }
}
