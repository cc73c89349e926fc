import Foundation
public import Reporting
import ScenarioLoader

/// Runs every scenario under some paths and collects the expectation verdicts (`dnscascade check`).
///
/// A path may be a scenario file or a directory, searched recursively for `.yaml` / `.yml` files in sorted order.
/// A scenario that cannot be loaded or built is reported as an error for that file; the others still run.
///
/// ```swift
/// let results = try ScenarioCheck().run(paths: ["Scenarios"])
/// print(CheckRenderer.text(results))
/// ```
public struct ScenarioCheck: Sendable {
    public var options: RunOptions

    public init(options: RunOptions = RunOptions()) {
        self.options = options
    }

    /// A path that does not exist, or a directory without scenario files.
    public struct PathError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): error: \(reason)" }
    }

    /// The scenario files under `paths`, in the order given (directories expanded in sorted order), without repeats.
    public static func files(under paths: [String]) throws(PathError) -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw PathError(path: path, reason: "no such file or directory")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let found = (manager.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted()
            guard !found.isEmpty else { throw PathError(path: path, reason: "no scenario files (.yaml) in this directory") }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            files += found.map { prefix + $0 }
        }
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
    }

    /// Checks each scenario file under `paths`.
    public func run(paths: [String]) throws(PathError) -> [ScenarioCheckResult] {
        try Self.files(under: paths).map(check)
    }

    /// Checks one scenario file.
    public func check(_ path: String) -> ScenarioCheckResult {
        do {
            let report = try ScenarioPipeline(options: options).run(.file(path: path))
            return ScenarioCheckResult(
                path: path, name: report.scenario.spec.name, expectations: report.expectations, error: nil,
                eventsProcessed: report.results.eventsProcessed)
        } catch {
            return ScenarioCheckResult(path: path, name: nil, expectations: [], error: error.description, eventsProcessed: 0)
        }
    }
}
