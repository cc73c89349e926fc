import Foundation
import ScenarioLoader

/// Finds the bundled scenarios: every `.yaml` file under a `Scenarios` directory.
///
/// The directory is the first that exists of: an explicit directory, `$DNSCASCADE_SCENARIOS`, `./Scenarios`, and
/// `Scenarios/` in the nearest ancestor of the executable's directory that has one (the repository root when run
/// from a build folder).
///
/// ```swift
/// let catalog = ScenarioCatalog()
/// if let dir = catalog.locate(explicit: nil) {
///     for entry in catalog.entries(in: dir) { print(entry.path, entry.name, entry.summary) }
/// }
/// ```
public struct ScenarioCatalog: Sendable {
    /// One scenario file.
    public struct Entry: Sendable, Hashable {
        /// The path, as the directory was given plus the file's path inside it.
        public var path: String
        /// The scenario's `name`, or `nil` if it does not load.
        public var name: String?
        /// The first non-empty line of the file's header comment.
        public var summary: String
        /// The first diagnostic, when the file does not load.
        public var problem: String?
    }

    public var environment: [String: String]
    public var currentDirectory: String
    public var executablePath: String

    /// A catalog for this process (its environment, working directory and executable) unless told otherwise.
    public init(environment: [String: String]? = nil, currentDirectory: String? = nil, executablePath: String? = nil) {
        self.environment = environment ?? ProcessInfo.processInfo.environment
        self.currentDirectory = currentDirectory ?? FileManager.default.currentDirectoryPath
        self.executablePath = executablePath ?? CommandLine.arguments.first ?? ""
    }

    /// The directories considered, in order (explicit, environment, working directory, ancestors of the executable).
    public func candidates(explicit: String?) -> [String] {
        var dirs: [String] = []
        if let explicit { dirs.append(explicit) }
        if let env = environment["DNSCASCADE_SCENARIOS"], !env.isEmpty { dirs.append(env) }
        dirs.append("Scenarios")
        let executable = URL(
            fileURLWithPath: executablePath, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true)
        ).standardizedFileURL.resolvingSymlinksInPath()
        var dir = executable.deletingLastPathComponent()
        while dir.path != "/" && !dir.path.isEmpty {
            dirs.append(dir.appendingPathComponent("Scenarios").path)
            dir = dir.deletingLastPathComponent()
        }
        return dirs
    }

    /// The first candidate that is a directory. An explicit directory that does not exist is not replaced by another.
    public func locate(explicit: String?) -> String? {
        if let explicit { return isDirectory(explicit) ? explicit : nil }
        return candidates(explicit: nil).first(where: isDirectory)
    }

    /// The scenario files (`.yaml`, `.yml`) under `directory`, searched recursively, as paths relative to it, sorted
    /// by byte order (the same on every machine).
    public static func scenarioFiles(in directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var relative: [String] = []
        while let item = enumerator.nextObject() as? String {
            if item.hasSuffix(".yaml") || item.hasSuffix(".yml") { relative.append(item) }
        }
        return relative.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Every scenario file under `directory` (see ``scenarioFiles(in:)``), each loaded to read its name.
    public func entries(in directory: String) -> [Entry] {
        let base = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
        return Self.scenarioFiles(in: base.path).map { item in
            let path = directory.hasSuffix("/") ? directory + item : directory + "/" + item
            let full = base.appendingPathComponent(item).path
            let text = (try? String(contentsOfFile: full, encoding: .utf8)) ?? ""
            let summary =
                ScenarioLoader.headerComment(text).split(separator: "\n").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.first { !$0.isEmpty } ?? ""
            do throws(ScenarioError) {
                let scenario = try ScenarioLoader().load(path: full)
                return Entry(path: path, name: scenario.spec.name, summary: summary, problem: nil)
            } catch {
                return Entry(path: path, name: nil, summary: summary, problem: error.diagnostics.first?.description)
            }
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        let full = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true)).path
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: full, isDirectory: &isDir) && isDir.boolValue
    }
}
