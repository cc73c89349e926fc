import Foundation
import Testing

/// Runs the built `dnscascade` binary, as a user would, and captures stdout, stderr and the exit status.
struct CommandRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let executable: URL

    /// Finds the binary next to the test bundle (SwiftPM builds the executable the test target depends on into the
    /// same products directory), or in `.build/debug` of the package, or at `$DNSCASCADE_BIN`.
    static func locate() throws -> CommandRunner {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["DNSCASCADE_BIN"] { candidates.append(URL(fileURLWithPath: env)) }
        var starts = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { starts.append(executable) }
        if let first = CommandLine.arguments.first { starts.append(URL(fileURLWithPath: first)) }
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("dnscascade"))
                dir = dir.deletingLastPathComponent()
            }
        }
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<3 {
            candidates.append(root.appendingPathComponent(".build/debug/dnscascade"))
            root = root.deletingLastPathComponent()
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return CommandRunner(executable: candidate)
            }
        }
        throw LocateError(looked: candidates.map(\.path))
    }

    struct LocateError: Error, CustomStringConvertible {
        var looked: [String]
        var description: String { "dnscascade binary not found; looked in:\n" + looked.joined(separator: "\n") }
    }

    /// Runs with `arguments` in `directory`; stdout and stderr go through files, so large outputs cannot block.
    func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Result {
        let outURL = directory.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent(".stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        env.removeValue(forKey: "DNSCASCADE_SCENARIOS")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Result(
            status: process.terminationStatus,
            stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}

/// A temporary directory with scenario files in it, removed at the end of the test.
final class ScenarioDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("dnscascade-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return name
    }

    /// Visible files (the runner's capture files are hidden), sorted.
    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).filter { !$0.hasPrefix(".") }.sorted()
    }
}

enum Scenarios {
    /// A client fleet whose endpoint record is emptied at 2m; expects the first failure between 2m and 10m.
    static let tiny = """
        # Tiny: one empty record.
        # The client fleet fails once the record is emptied.
        schema: dnscascade/v1
        name: tiny
        duration: 10m
        world:
          authorities: [{id: ns1, zones: [{origin: example., records: "example. 3600 IN SOA ns1.example. h.example. 1 7200 900 1209600 300\\nkv.example. 60 IN A 192.0.2.10"}]}]
          resolvers: [{id: r1}]
          endpoints: [{id: kv, name: kv.example., addresses: [192.0.2.10]}]
          clients: [{id: app, instances: 2, endpoint: kv, resolvers: [r1]}]
        faults: [{id: f, at: 2m, target: authority/ns1, emptyRecords: {name: kv.example., type: A}}]
        expect: [{component: client/app, firstFailure: {between: [2m, 10m]}}]

        """

    /// The same world with an expectation that cannot hold (the client does fail).
    static let failing = tiny.replacing("name: tiny", with: "name: failing").replacing(
        "firstFailure: {between: [2m, 10m]}", with: "firstFailure: absent")

    /// A misspelt key on line 5, column 1.
    static let misspelt = tiny.replacing("duration: 10m", with: "duraton: 10m")
}
