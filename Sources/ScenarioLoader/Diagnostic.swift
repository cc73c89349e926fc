/// One problem found in a scenario file (or a `--set` override), with where it is and what to do.
///
/// ```swift
/// let d = Diagnostic(file: "Scenarios/x.yaml", line: 12, column: 5, keyPath: "world.resolvers[0]",
///                    elementID: "r1", message: "unknown key 'serveStail'", suggestion: "serveStale")
/// d.description
/// // Scenarios/x.yaml:12:5: error: world.resolvers[0] (id r1): unknown key 'serveStail' (did you mean 'serveStale'?)
/// ```
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The file as given to the loader, or `--set PATH=VALUE` for a problem in an override.
    public var file: String
    /// 1-based line of the offending node (inside the override text for `--set`).
    public var line: Int
    /// 1-based column of the offending node.
    public var column: Int
    /// Where in the document: `world.clients[0].pool.size`; empty for problems with the file as a whole.
    public var keyPath: String
    /// The `id` of the innermost list element on the path, if it has one (shown as `(id r1)`).
    public var elementID: String?
    /// What is wrong.
    public var message: String
    /// The nearest valid key or value, for "did you mean".
    public var suggestion: String?

    public init(
        file: String, line: Int, column: Int, keyPath: String, elementID: String? = nil, message: String,
        suggestion: String? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.elementID = elementID
        self.message = message
        self.suggestion = suggestion
    }

    /// Whether the problem is in a `--set` override rather than in the file.
    public var isOverride: Bool { file.hasPrefix("--set") }

    /// `file:line:column: error: key.path (id x): message (did you mean 'y'?)`.
    public var description: String {
        var text = isOverride ? "\(file): error: " : "\(file):\(line):\(column): error: "
        if !keyPath.isEmpty {
            text += keyPath
            if let elementID { text += " (id \(elementID))" }
            text += ": "
        }
        text += message
        if let suggestion { text += " (did you mean '\(suggestion)'?)" }
        return text
    }
}

/// Every problem found while loading a scenario (not only the first), in file order.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Nearest-key suggestions by edit distance.
enum Suggestion {
    /// The candidate closest to `word` (case-insensitive Levenshtein distance), if it is close enough to be a likely typo.
    static func nearest(to word: String, in candidates: [String]) -> String? {
        let lowered = Array(word.lowercased().unicodeScalars)
        guard lowered.count <= 64 else { return nil }
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, Array(candidate.lowercased().unicodeScalars))
            if best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        guard let (candidate, distance) = best else { return nil }
        let limit = max(2, min(lowered.count, candidate.count) / 3)
        return distance <= limit ? candidate : nil
    }

    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
