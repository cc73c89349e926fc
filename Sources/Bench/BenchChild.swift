import Foundation

/// The work of one fresh benchmark process: `dnscascade bench --child REQUEST` runs it and prints one JSON line, so
/// each measurement's peak memory is its own.
///
/// Requests: `scaling:N` (N client instances, ``ScalingBenchmark``), `replay:PATH` and `replay-full:PATH` (the same in
/// full-scale mode) (``ReplayBenchmark``), `lookups:INSTANCES:SECONDS` (``LookupBenchmark``, each lookup run of
/// `bench`); and for profiling one part alone (`valgrind --tool=callgrind dnscascade bench --child …`):
/// `hold-simulator:PENDING:EVENTS` (a new closure per event), `hold-stored:PENDING:EVENTS` and
/// `hold-heap:PENDING:EVENTS`.
public enum BenchChild {
    /// Runs `request` in this process and returns its result (a ``Measurement`` for scaling and replay) as JSON.
    public static func run(_ request: String) throws -> String {
        let parts = request.split(separator: ":").map(String.init)
        let numbers = parts.dropFirst().compactMap { Int($0) }
        switch (parts.first, numbers.count) {
        case ("hold-simulator", 2):
            return try encode(EngineBenchmark.simulatorHold(pending: numbers[0], events: numbers[1]))
        case ("hold-stored", 2):
            return try encode(EngineBenchmark.simulatorHold(pending: numbers[0], events: numbers[1], style: .storedAction))
        case ("hold-heap", 2):
            return try encode(EngineBenchmark.heapHold(pending: numbers[0], events: numbers[1]))
        case ("lookups", 2):
            return try encode(LookupBenchmark.run(instances: numbers[0], duration: .seconds(Int64(numbers[1]))))
        default: break
        }
        let measurement: Measurement
        if let clients = request.dropPrefix("scaling:").flatMap({ Int($0) }), clients > 0 {
            measurement = try ScalingBenchmark.measure(clients: clients)
        } else if let path = request.dropPrefix("replay:"), !path.isEmpty {
            measurement = try ReplayBenchmark.measure(path: path)
        } else if let path = request.dropPrefix("replay-full:"), !path.isEmpty {
            measurement = try ReplayBenchmark.measure(path: path, fullScale: true)
        } else {
            throw BenchError.badRequest(request)
        }
        return try encode(measurement)
    }

    private static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.bench.encode(value), as: UTF8.self)
    }

    /// Runs `executable --child request` (the arguments before it given by `prefix`) and decodes its result: a
    /// ``Measurement``, or the request's own result type (``LookupBenchmark/Result`` for `lookups:…`).
    static func spawn<Result: Decodable>(
        executable: String, prefix: [String], request: String, as type: Result.Type
    ) throws -> Result {
        let output = try Subprocess.run(executable, prefix + ["--child", request])
        guard output.status == 0, let line = output.stdout.split(separator: "\n").last else {
            throw BenchError.childFailed(request, status: output.status, stderr: output.stderr)
        }
        do {
            return try JSONDecoder().decode(type, from: Data(line.utf8))
        } catch {
            throw BenchError.childFailed(request, status: output.status, stderr: "unreadable output: \(line)")
        }
    }
}

/// Why a benchmark could not be measured.
public enum BenchError: Error, CustomStringConvertible {
    case badRequest(String)
    case childFailed(String, status: Int32, stderr: String)

    public var description: String {
        switch self {
        case .badRequest(let request):
            return
                "unknown benchmark request '\(request)' (scaling:N, replay:PATH, replay-full:PATH, hold-simulator:P:N, hold-stored:P:N, hold-heap:P:N, lookups:I:S)"
        case .childFailed(let request, let status, let stderr):
            return "benchmark process '\(request)' failed (exit \(status)): \(stderr.prefix(300))"
        }
    }
}

/// Runs a program and collects its output (stdout and stderr read concurrently so neither pipe fills up).
enum Subprocess {
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errorBox = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errorBox.set(err.fileHandleForReading.readDataToEndOfFile()) }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errorBox.get(), as: UTF8.self))
    }

    /// Finds `name` on `$PATH`.
    static func which(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Data handed from the stderr reader to the caller.
    private final class DataBox: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()

        func set(_ value: Data) { lock.withLock { data = value } }
        func get() -> Data { lock.withLock { data } }
    }
}

extension JSONEncoder {
    /// Sorted keys: the same measurement always prints the same way.
    static var bench: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
