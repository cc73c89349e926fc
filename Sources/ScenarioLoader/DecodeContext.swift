import DNSModel
import SimKernel

/// A key path being decoded (`world.clients[0].pool`) and the id of the innermost list element on it.
struct KeyPath: Sendable {
    var text: String
    var elementID: String?

    static let root = KeyPath(text: "", elementID: nil)

    func key(_ key: String) -> KeyPath {
        KeyPath(text: text.isEmpty ? key : "\(text).\(key)", elementID: elementID)
    }

    func index(_ index: Int, id: String? = nil) -> KeyPath {
        KeyPath(text: "\(text)[\(index)]", elementID: id)
    }
}

/// Collects diagnostics while decoding; turns node marks into file positions.
final class DecodeContext {
    let file: String
    let overrides: [String]
    /// The scenario text split into lines (for positions inside block scalars).
    let lines: [Substring]
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, overrides: [String], text: String) {
        self.file = file
        self.overrides = overrides
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    var hasErrors: Bool { !diagnostics.isEmpty }

    /// Records a problem at a node's mark.
    func error(_ mark: YAMLMark, _ path: KeyPath, _ message: String, suggestion: String? = nil) {
        if mark.origin > 0 && mark.origin <= overrides.count {
            let argument = overrides[mark.origin - 1]
            let valueStart = (argument.firstIndex(of: "=").map { argument.distance(from: argument.startIndex, to: $0) } ?? 0) + 1
            diagnostics.append(
                Diagnostic(
                    file: "--set \(argument)", line: 1, column: mark.line <= 1 ? valueStart + mark.column : mark.column,
                    keyPath: path.text, elementID: path.elementID, message: message, suggestion: suggestion))
        } else {
            diagnostics.append(
                Diagnostic(
                    file: file, line: max(mark.line, 1), column: max(mark.column, 1), keyPath: path.text,
                    elementID: path.elementID, message: message, suggestion: suggestion))
        }
    }

    /// Records a problem not tied to one node (`--set` paths).
    func overrideError(_ argument: String, path: String, _ message: String) {
        diagnostics.append(Diagnostic(file: "--set \(argument)", line: 1, column: 1, keyPath: path, message: message))
    }

    // MARK: - Typed scalars

    /// A non-null scalar as text (any style).
    func string(_ node: YAMLNode, _ path: KeyPath, what: String = "a string") -> String? {
        guard let text = node.scalarText, !node.isNull else {
            error(node.mark, path, "expected \(what), found \(node.kindDescription)")
            return nil
        }
        return text
    }

    /// A non-empty identifier.
    func identifier(_ node: YAMLNode, _ path: KeyPath) -> String? {
        guard let text = string(node, path, what: "an id") else { return nil }
        if text.isEmpty || text.contains("/") || text.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            error(node.mark, path, "an id must be non-empty, without spaces or '/'")
            return nil
        }
        return text
    }

    func bool(_ node: YAMLNode, _ path: KeyPath) -> Bool? {
        switch node.plainText {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            error(node.mark, path, "expected true or false, found \(node.kindDescription)")
            return nil
        }
    }

    /// The digits of a plain integer scalar (sign kept, `_` separators removed), or `nil` after reporting.
    private func integerText(_ node: YAMLNode, _ path: KeyPath) -> String? {
        guard let text = node.plainText, !node.isNull else {
            error(node.mark, path, "expected an integer, found \(node.kindDescription)")
            return nil
        }
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard let first = body.first, first.isASCII, first.isNumber,
            body.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" })
        else {
            error(node.mark, path, "expected an integer, found \(node.kindDescription)")
            return nil
        }
        return text.filter { $0 != "_" }
    }

    /// An integer in `range`.
    func int(_ node: YAMLNode, _ path: KeyPath, in range: ClosedRange<Int>) -> Int? {
        guard let digits = integerText(node, path) else { return nil }
        guard let value = Int(digits) else {
            error(node.mark, path, "integer \(digits) is out of range (\(range.lowerBound)...\(range.upperBound))")
            return nil
        }
        return check(value, in: range, node, path)
    }

    func uint32(_ node: YAMLNode, _ path: KeyPath) -> UInt32? {
        int(node, path, in: 0...Int(UInt32.max)).map { UInt32($0) }
    }

    func uint64(_ node: YAMLNode, _ path: KeyPath) -> UInt64? {
        guard let digits = integerText(node, path) else { return nil }
        if digits.hasPrefix("-") {
            error(node.mark, path, "must not be negative")
            return nil
        }
        guard let value = UInt64(digits.hasPrefix("+") ? String(digits.dropFirst()) : digits) else {
            error(node.mark, path, "integer \(digits) is out of range (0...\(UInt64.max))")
            return nil
        }
        return value
    }

    private func check(_ value: Int, in range: ClosedRange<Int>, _ node: YAMLNode, _ path: KeyPath) -> Int? {
        if value < range.lowerBound {
            error(node.mark, path, "must be at least \(range.lowerBound), found \(value)")
            return nil
        }
        if value > range.upperBound {
            error(node.mark, path, "must be at most \(range.upperBound), found \(value)")
            return nil
        }
        return value
    }

    /// A finite number in `range`.
    func double(_ node: YAMLNode, _ path: KeyPath, in range: ClosedRange<Double>) -> Double? {
        guard let text = node.plainText, !node.isNull, let first = text.first,
            first.isNumber || first == "-" || first == "+" || first == ".", let value = Double(text), value.isFinite
        else {
            error(node.mark, path, "expected a number, found \(node.kindDescription)")
            return nil
        }
        if !range.contains(value) {
            error(node.mark, path, "must be between \(format(range.lowerBound)) and \(format(range.upperBound)), found \(text)")
            return nil
        }
        return value
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A duration (`250ms`, `1h30m`); zero only when `allowZero`.
    func duration(_ node: YAMLNode, _ path: KeyPath, allowZero: Bool) -> SimDuration? {
        guard let text = node.scalarText, !node.isNull else {
            error(node.mark, path, "expected a duration such as 250ms, 30s, 5m or 1h30m, found \(node.kindDescription)")
            return nil
        }
        if text.hasPrefix("-") {
            error(node.mark, path, "a duration cannot be negative, found '\(text)'")
            return nil
        }
        guard let value = SimDuration(parsing: text) else {
            var message = "invalid duration '\(text)' (expected e.g. 250ms, 30s, 5m, 1h30m; units ns us ms s m h d)"
            if !text.isEmpty && text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
                message = "a duration needs a unit: '\(text)s'? (units ns us ms s m h d)"
            } else if Self.isWellFormedDuration(text) {
                message = "duration '\(text)' is too large (durations are kept in nanoseconds, at most about 106751d)"
            }
            error(node.mark, path, message)
            return nil
        }
        if value == .zero && !allowZero {
            error(node.mark, path, "must be longer than zero")
            return nil
        }
        return value
    }

    /// Whether `text` has the shape of a duration (`1h30m`, `2.5s`): numbers each followed by a known unit.
    static func isWellFormedDuration(_ text: String) -> Bool {
        let units: Set<Substring> = ["ns", "us", "ms", "s", "m", "h", "d"]
        var rest = Substring(text)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number.first != ".", number.last != ".", number.filter({ $0 == "." }).count <= 1 else {
                return false
            }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            guard units.contains(unit) else { return false }
            rest = rest.dropFirst(unit.count)
        }
        return !text.isEmpty
    }

    func domainName(_ node: YAMLNode, _ path: KeyPath) -> DomainName? {
        guard let text = string(node, path, what: "a domain name") else { return nil }
        do {
            return try DomainName(text)
        } catch {
            self.error(node.mark, path, error.description)
            return nil
        }
    }

    func recordType(_ node: YAMLNode, _ path: KeyPath) -> RecordType? {
        guard let text = string(node, path, what: "a record type") else { return nil }
        guard let type = RecordType(mnemonic: text) else {
            error(node.mark, path, "unknown record type '\(text)' (A, AAAA, CNAME, NS, SOA, TXT, ... or TYPEnnn)")
            return nil
        }
        return type
    }

    func ipAddress(_ node: YAMLNode, _ path: KeyPath) -> IPAddress? {
        guard let text = string(node, path, what: "an IP address") else { return nil }
        guard let address = IPAddress(text) else {
            error(node.mark, path, "invalid IP address '\(text)'")
            return nil
        }
        return address
    }

    /// A list (null = empty); reports other kinds.
    func list(_ node: YAMLNode, _ path: KeyPath) -> [YAMLNode]? {
        if node.isNull { return [] }
        guard case .sequence(let items) = node.content else {
            error(node.mark, path, "expected a list, found \(node.kindDescription)")
            return nil
        }
        return items
    }

    /// The `id` of a list element, read ahead so paths can name it, if it is a plain scalar.
    static func peekID(_ node: YAMLNode) -> String? {
        guard case .mapping(let pairs) = node.content else { return nil }
        return pairs.first(where: { $0.key.scalarText == "id" })?.value.scalarText
    }
}

/// The keys of one mapping, checked against the allowed set: unknown, duplicate and non-string keys are
/// reported when it is made; ``take(_:)`` and ``require(_:)`` read values.
struct Fields {
    let context: DecodeContext
    let node: YAMLNode
    let path: KeyPath
    private(set) var entries: [String: YAMLPair] = [:]
    /// Keys in document order (first occurrences only).
    private(set) var order: [String] = []
    /// Whether the node was a mapping (or null, read as an empty mapping).
    let isMapping: Bool

    init(_ node: YAMLNode, _ path: KeyPath, _ context: DecodeContext, allowed: [String], what: String = "a mapping") {
        self.context = context
        self.node = node
        self.path = path
        if node.isNull {
            isMapping = true
            return
        }
        guard case .mapping(let pairs) = node.content else {
            context.error(node.mark, path, "expected \(what), found \(node.kindDescription)")
            isMapping = false
            return
        }
        isMapping = true
        for pair in pairs {
            guard let key = pair.key.scalarText, !pair.key.isNull || pair.key.scalarText == "null" else {
                context.error(pair.key.mark, path, "keys must be strings, found \(pair.key.kindDescription)")
                continue
            }
            if key == "<<" {
                context.error(pair.key.mark, path, "merge keys ('<<') are not supported; use an alias as a whole value")
                continue
            }
            if let first = entries[key] {
                context.error(
                    pair.key.mark, path, "duplicate key '\(key)' (first given at line \(first.key.mark.line))")
                continue
            }
            guard allowed.contains(key) else {
                context.error(
                    pair.key.mark, path, "unknown key '\(key)'", suggestion: Suggestion.nearest(to: key, in: allowed))
                continue
            }
            entries[key] = pair
            order.append(key)
        }
    }

    func has(_ key: String) -> Bool { entries[key] != nil }

    /// The value of an optional key (a null value counts as absent when `nullIsAbsent`).
    func take(_ key: String, nullIsAbsent: Bool = true) -> YAMLNode? {
        guard let pair = entries[key] else { return nil }
        if nullIsAbsent && pair.value.isNull { return nil }
        return pair.value
    }

    /// The value of a required key; reports it missing (at the mapping) otherwise.
    func require(_ key: String, hint: String = "") -> YAMLNode? {
        guard isMapping else { return nil }
        if let value = entries[key]?.value { return value }
        context.error(node.mark, path, "missing required key '\(key)'\(hint)")
        return nil
    }

    /// The key node's mark (for errors about a key's presence).
    func keyMark(_ key: String) -> YAMLMark { entries[key]?.key.mark ?? node.mark }

    /// Reads an optional value with a decoder, keeping `fallback` when absent or invalid.
    func read<T>(_ key: String, _ fallback: T, _ decode: (YAMLNode, KeyPath) -> T?) -> T {
        guard let value = take(key) else { return fallback }
        return decode(value, path.key(key)) ?? fallback
    }
}
