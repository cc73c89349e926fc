/// A world description that cannot be built (the scenario loader reports these with file locations first;
/// this catches descriptions built in code).
public struct WorldBuildError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]

    public init(_ problems: [String]) { self.problems = problems }

    public var description: String { problems.joined(separator: "\n") }
}
