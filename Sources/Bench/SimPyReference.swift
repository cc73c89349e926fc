import Foundation

/// Runs `benchmarks/simpy/hold.py` (the same hold model in SimPy 4.1.2) as a subprocess.
public enum SimPyReference {
    /// What hold.py reports (one JSON object on stdout).
    public struct Result: Sendable, Codable, Hashable {
        public var events: Int
        /// Wall time of the loop.
        public var seconds: Double
        /// CPU time of the loop (`time.process_time()`).
        public var cpuSeconds: Double
        /// Events per CPU second.
        public var eventsPerSecond: Double
        public var pending: Int
        public var simpy: String
        public var python: String
    }

    /// How to get SimPy when it is missing.
    public static let installHint = "SimPy not installed: pip install simpy==4.1.2"

    /// Whether `python -c 'import simpy'` works.
    public static func isAvailable(python: String = "python3") -> Bool {
        guard let interpreter = Subprocess.which(python) else { return false }
        return (try? Subprocess.run(interpreter, ["-c", "import simpy"]).status) == 0
    }

    /// Runs `python script --events N --pending P`; `nil` if Python or SimPy is missing or the script fails.
    public static func hold(script: String, pending: Int, events: Int, python: String = "python3") -> Result? {
        guard let interpreter = Subprocess.which(python), FileManager.default.fileExists(atPath: script) else { return nil }
        guard
            let output = try? Subprocess.run(
                interpreter, [script, "--events", String(events), "--pending", String(pending), "--json"]),
            output.status == 0, let line = output.stdout.split(separator: "\n").last
        else { return nil }
        return try? JSONDecoder().decode(Result.self, from: Data(line.utf8))
    }
}
