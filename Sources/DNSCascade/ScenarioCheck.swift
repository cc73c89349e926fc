import Foundation
public import Reporting
import ScenarioLoader
import WorldModel

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
    /// Write each scenario's recorded timeline (for scenarios that name one) instead of comparing with it.
    public var record: Bool
    /// Runs per scenario (Monte Carlo, see ``MonteCarlo``); the golden timeline is compared with run 1's.
    public var runs: Int
    /// Threads for the runs of one scenario (default: every core); the verdicts do not depend on it.
    public var workers: Int?

    public init(options: RunOptions = RunOptions(), record: Bool = false, runs: Int = 1, workers: Int? = nil) {
        self.options = options
        self.record = record
        self.runs = runs
        self.workers = workers
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
            let found = ScenarioCatalog.scenarioFiles(in: path)
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
            let pipeline = ScenarioPipeline(options: options)
            let report: RunReport
            var expectations: [ExpectationResult]
            if runs > 1 {
                let study = try MonteCarlo(pipeline: pipeline, runs: runs, workers: workers).run(.file(path: path))
                report = study.first
                expectations = study.expectations
            } else {
                report = try pipeline.run(.file(path: path))
                expectations = report.expectations
            }
            var golden: GoldenTimeline?
            if let goldenPath = report.scenario.goldenTimelinePath {
                let timeline = TimelineRenderer(color: false).render(report.results)
                golden = try compare(timeline, with: goldenPath)
            }
            return ScenarioCheckResult(
                path: path, name: report.scenario.spec.name, expectations: expectations, error: nil,
                eventsProcessed: report.results.eventsProcessed, golden: golden)
        } catch {
            return ScenarioCheckResult(path: path, name: nil, expectations: [], error: error.description, eventsProcessed: 0)
        }
    }

    /// Compares a timeline with its recording, or records it.
    private func compare(_ timeline: String, with path: String) throws(DNSCascadeError) -> GoldenTimeline {
        if record {
            do {
                try AtomicFileWriter.write(timeline, to: path)
            } catch {
                throw .output(error)
            }
            return .recorded(path: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else { return .missing(path: path) }
        let recorded = String(decoding: data, as: UTF8.self)
        if recorded == timeline { return .matches(path: path) }
        return .differs(path: path, diff: LineDiff.unified(old: recorded, new: timeline, oldName: path, newName: "this run"))
    }
}
