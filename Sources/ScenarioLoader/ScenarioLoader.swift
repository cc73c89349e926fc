import Foundation

/// Loads scenario files (schema `dnscascade/v1`) into validated ``WorldSpec``s, with `--set` overrides.
///
/// ```swift
/// let loader = ScenarioLoader()
/// do {
///     let scenario = try loader.load(path: "Scenarios/01-empty-record.yaml", overrides: ["resolvers.*.serveStale=true"])
///     print(scenario.spec.name, scenario.spec.duration)
/// } catch {
///     for diagnostic in error.diagnostics { print(diagnostic) }   // file:line:column: error: key.path: message
/// }
/// ```
///
/// Loading never crashes or hangs on hostile input: the file size, nesting depth and node count (aliases
/// included) are bounded, and every problem found is reported, not only the first.
public struct ScenarioLoader: Sendable {
    /// Files larger than this are refused before they are read.
    public var maxFileBytes: Int
    /// Deepest nesting of mappings and lists accepted.
    public var maxDepth: Int
    /// Most nodes a document may expand to, counting every node an alias stands for.
    public var maxNodes: Int

    public init(maxFileBytes: Int = 10 << 20, maxDepth: Int = 64, maxNodes: Int = 1_000_000) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    /// Reads the file (size and UTF-8 checked), parses it, applies `overrides` (`path=value`), decodes and validates.
    public func load(path: String, overrides: [String] = []) throws(ScenarioError) -> Scenario {
        func fail(_ message: String, line: Int = 1, column: Int = 1) -> ScenarioError {
            ScenarioError(diagnostics: [Diagnostic(file: path, line: line, column: column, keyPath: "", message: message)])
        }
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
                throw fail("not a regular file")
            }
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw fail("cannot read the file: no such file, or no permission")
        }
        if size > maxFileBytes {
            throw fail("file is \(size) bytes; scenario files are limited to \(maxFileBytes) bytes")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw fail("cannot open the file for reading") }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxFileBytes + 1) ?? Data()
        } catch {
            throw fail("cannot read the file")
        }
        if data.count > maxFileBytes {
            throw fail("file is larger than \(maxFileBytes) bytes (the limit for scenario files)")
        }
        let bytes = [UInt8](data)
        if let problem = TextCheck.firstProblem(bytes) {
            throw fail(problem.message, line: problem.line, column: problem.column)
        }
        return try load(text: String(decoding: bytes, as: UTF8.self), sourceName: path, overrides: overrides)
    }

    /// Parses scenario text, applies `overrides`, decodes and validates. `sourceName` names the text in diagnostics.
    public func load(text: String, sourceName: String, overrides: [String] = []) throws(ScenarioError) -> Scenario {
        let bytes = Array(text.utf8)
        func fail(_ message: String, line: Int = 1, column: Int = 1) -> ScenarioError {
            ScenarioError(diagnostics: [Diagnostic(file: sourceName, line: line, column: column, keyPath: "", message: message)])
        }
        if bytes.count > maxFileBytes {
            throw fail("text is \(bytes.count) bytes; scenario files are limited to \(maxFileBytes) bytes")
        }
        if let problem = TextCheck.firstProblem(bytes) {
            throw fail(problem.message, line: problem.line, column: problem.column)
        }
        let composer = YAMLComposer(maxDepth: maxDepth, maxNodes: maxNodes)
        let composed: YAMLNode?
        do {
            composed = try composer.compose(bytes)
        } catch {
            throw fail(error.message, line: max(error.mark.line, 1), column: max(error.mark.column, 1))
        }
        guard var root = composed, !root.isNull else {
            throw fail("empty scenario file (expected a mapping that starts with 'schema: \(ScenarioDecoder.schema)')")
        }
        guard case .mapping = root.content else {
            throw fail(
                "the top level must be a mapping that starts with 'schema: \(ScenarioDecoder.schema)', found \(root.kindDescription)",
                line: root.mark.line, column: root.mark.column)
        }
        let context = DecodeContext(file: sourceName, overrides: overrides, text: text)
        var applier = OverrideApplier(context: context, composer: composer)
        for (index, argument) in overrides.enumerated() {
            applier.apply(argument, number: index + 1, to: &root)
        }
        var decoder = ScenarioDecoder(context: context)
        let spec = decoder.decode(root)
        guard let spec, !context.hasErrors else {
            throw ScenarioError(diagnostics: Self.ordered(context.diagnostics))
        }
        let golden = decoder.golden.map { name -> String in
            let directory = sourceName.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            return directory.isEmpty ? name : directory + "/" + name
        }
        return Scenario(spec: spec, sourcePath: sourceName, headerComment: Self.headerComment(text), goldenTimelinePath: golden)
    }

    /// Override problems first (in argument order), then file problems by position.
    static func ordered(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let indexed = diagnostics.enumerated().map { ($0.offset, $0.element) }
        return indexed.sorted { a, b in
            let (ia, da) = a
            let (ib, db) = b
            if da.isOverride != db.isOverride { return da.isOverride }
            if !da.isOverride && (da.line, da.column) != (db.line, db.column) {
                return (da.line, da.column) < (db.line, db.column)
            }
            return ia < ib
        }.map(\.1)
    }

    /// The leading comment block: comment lines (and blank lines between them) before the first other line,
    /// with `#` and one following space removed.
    public static func headerComment(_ text: String) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") {
                var body = trimmed.dropFirst()
                if body.first == " " { body = body.dropFirst() }
                lines.append(String(body).trimmingCharacters(in: CharacterSet(charactersIn: "\r")))
            } else if trimmed.isEmpty || trimmed == "\r" {
                if !lines.isEmpty { lines.append("") }
            } else {
                break
            }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}

/// Checks raw bytes before parsing: valid UTF-8, and not a binary file.
enum TextCheck {
    struct Problem {
        var message: String
        var line: Int
        var column: Int
    }

    static func firstProblem(_ bytes: [UInt8]) -> Problem? {
        var line = 1
        var column = 1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            var length = 1
            if b == 0 {
                return Problem(
                    message: "the file contains NUL bytes: it is binary, not a YAML scenario", line: line, column: column)
            } else if b < 0x80 {
                length = 1
            } else {
                let (needed, minimum): (Int, UInt32) =
                    switch b {
                    case 0xC2...0xDF: (2, 0x80)
                    case 0xE0...0xEF: (3, 0x800)
                    case 0xF0...0xF4: (4, 0x10000)
                    default: (0, 0)
                    }
                var scalar = UInt32(b) & (needed == 2 ? 0x1F : needed == 3 ? 0x0F : 0x07)
                var valid = needed > 0 && i + needed <= bytes.count
                if valid {
                    for k in 1..<needed {
                        let c = bytes[i + k]
                        if c & 0xC0 != 0x80 {
                            valid = false
                            break
                        }
                        scalar = scalar << 6 | UInt32(c & 0x3F)
                    }
                }
                if !valid || scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                    return Problem(
                        message:
                            "invalid UTF-8 (byte 0x\(String(b, radix: 16, uppercase: true)) at offset \(i)); scenario files are UTF-8 text",
                        line: line, column: column)
                }
                length = needed
            }
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += length
        }
        return nil
    }
}
