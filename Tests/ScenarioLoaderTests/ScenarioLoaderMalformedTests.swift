import Foundation
import ScenarioLoader
import Testing

/// One malformed fixture and the diagnostic it must produce.
struct MalformedCase: CustomStringConvertible, Sendable {
    var file: String
    var line: Int
    var column: Int
    var keyPath: String
    var fragment: String
    var description: String { file }
}

let malformedCases: [MalformedCase] = [
    .init(
        file: "unknown-key", line: 15, column: 7, keyPath: "world.resolvers[0]",
        fragment: "unknown key 'serveStail' (did you mean 'serveStale'?)"),
    .init(file: "unknown-top-key", line: 4, column: 1, keyPath: "", fragment: "unknown key 'sumary' (did you mean 'summary'?)"),
    .init(file: "expect-unknown-metric", line: 25, column: 5, keyPath: "expect[0]", fragment: "did you mean 'firstFailure'"),
    .init(file: "duplicate-key", line: 4, column: 1, keyPath: "", fragment: "duplicate key 'name' (first given at line 3)"),
    .init(
        file: "wrong-type", line: 22, column: 18, keyPath: "world.clients[0].instances",
        fragment: "expected an integer, found 'many'"),
    .init(file: "missing-name", line: 2, column: 1, keyPath: "", fragment: "missing required key 'name'"),
    .init(
        file: "unknown-endpoint", line: 21, column: 17, keyPath: "world.clients[0].endpoint", fragment: "unknown endpoint 'kvv'"),
    .init(
        file: "unknown-resolver", line: 22, column: 23, keyPath: "world.clients[0].resolvers[1]",
        fragment: "unknown resolver 'r9'"),
    .init(file: "unknown-target", line: 26, column: 13, keyPath: "faults[0].target", fragment: "unknown authority 'ns2'"),
    .init(file: "unknown-endfault", line: 30, column: 15, keyPath: "operators[0].endFault", fragment: "unknown fault 'f2'"),
    .init(file: "unknown-component", line: 24, column: 16, keyPath: "expect[0].component", fragment: "unknown client 'ap'"),
    .init(file: "duplicate-id", line: 15, column: 11, keyPath: "world.resolvers[1]", fragment: "duplicate id 'r1'"),
    .init(
        file: "data-fault-at-resolver", line: 27, column: 5, keyPath: "faults[0].deleteName", fragment: "applies to authorities"),
    .init(file: "stub-tries-zero", line: 22, column: 21, keyPath: "world.clients[0].stub.tries", fragment: "must be at least 1"),
    .init(file: "instances-zero", line: 22, column: 18, keyPath: "world.clients[0].instances", fragment: "must be at least 1"),
    .init(
        file: "instances-too-many", line: 22, column: 18, keyPath: "world.clients[0].instances",
        fragment: "must be at most 1000000"),
    .init(file: "pool-size-zero", line: 23, column: 15, keyPath: "world.clients[0].pool.size", fragment: "must be at least 1"),
    .init(
        file: "probability-range", line: 27, column: 29, keyPath: "faults[0].servfail.probability", fragment: "between 0 and 1"),
    .init(
        file: "age-jitter-range", line: 22, column: 25, keyPath: "world.clients[0].pool.ageJitter", fragment: "between 0 and 1"),
    .init(file: "until-before-at", line: 26, column: 5, keyPath: "faults[0].until", fragment: "'until' must be after 'at'"),
    .init(file: "huge-integer", line: 4, column: 7, keyPath: "seed", fragment: "out of range"),
    .init(
        file: "zero-duration", line: 22, column: 32, keyPath: "world.clients[0].pool.maxConnectionAge",
        fragment: "longer than zero"),
    .init(
        file: "negative-duration", line: 15, column: 24, keyPath: "world.resolvers[0].upstreamTimeout",
        fragment: "cannot be negative"),
    .init(file: "duration-without-unit", line: 4, column: 11, keyPath: "duration", fragment: "needs a unit"),
    .init(file: "time-outside", line: 25, column: 9, keyPath: "faults[0].at", fragment: "outside the scenario"),
    .init(file: "time-without-offset", line: 4, column: 8, keyPath: "start", fragment: "needs a UTC offset"),
    .init(file: "bad-zone-text", line: 12, column: 13, keyPath: "world.authorities[0].zones[0].records", fragment: "192.0.2.300"),
    .init(
        file: "replace-wrong-owner", line: 31, column: 11, keyPath: "faults[0].replaceRecords.records",
        fragment: "is not a kv.example. A record"),
    .init(file: "schema-missing", line: 2, column: 1, keyPath: "schema", fragment: "missing required key 'schema'"),
    .init(file: "schema-not-first", line: 3, column: 1, keyPath: "schema", fragment: "must be the first key"),
    .init(file: "schema-unsupported", line: 2, column: 9, keyPath: "schema", fragment: "unsupported schema 'dnscascade/v2'"),
    .init(file: "two-fault-kinds", line: 28, column: 5, keyPath: "faults[0]", fragment: "found both 'servfail' and 'refused'"),
    .init(file: "duration-and-end", line: 5, column: 1, keyPath: "end", fragment: "not both"),
    .init(file: "bad-outcome", line: 25, column: 24, keyPath: "expect[0].lookups.outcome", fragment: "did you mean 'NODATA'"),
    .init(
        file: "bad-overload", line: 15, column: 17, keyPath: "world.resolvers[0].overload", fragment: "expected drop or refuse"),
    .init(file: "yaml-syntax", line: 4, column: 9, keyPath: "", fragment: "YAML syntax error"),
    .init(file: "top-level-list", line: 2, column: 1, keyPath: "", fragment: "top level must be a mapping"),
    .init(file: "empty", line: 1, column: 1, keyPath: "", fragment: "empty scenario file"),
    .init(file: "comments-only", line: 1, column: 1, keyPath: "", fragment: "empty scenario file"),
    .init(file: "alias-bomb", line: 10, column: 36, keyPath: "", fragment: "more than 1000000 nodes"),
    .init(file: "deep-nesting", line: 5, column: 71, keyPath: "", fragment: "nesting deeper than 64 levels"),
    // Hardening catalogue (issue 8): cycles, huge numbers, more wrong types, YAML features scenario files refuse.
    .init(file: "alias-cycle", line: 7, column: 13, keyPath: "", fragment: "alias '*w' refers to no anchor defined before it"),
    .init(file: "alias-undefined", line: 4, column: 11, keyPath: "", fragment: "alias '*nowhere' refers to no anchor"),
    .init(
        file: "duration-overflow", line: 4, column: 11, keyPath: "duration", fragment: "duration '9999999999999h' is too large"),
    .init(
        file: "huge-float", line: 28, column: 20, keyPath: "faults[0].servfail.probability",
        fragment: "expected a number, found '1e400'"),
    .init(
        file: "instances-negative", line: 22, column: 18, keyPath: "world.clients[0].instances",
        fragment: "must be at least 1, found -5"),
    .init(
        file: "pool-size-huge", line: 22, column: 20, keyPath: "world.clients[0].pool.size",
        fragment: "integer 100000000000000000000 is out of range (1...100000)"),
    .init(
        file: "operator-after-end", line: 29, column: 9, keyPath: "operators[0].at", fragment: "time 2h is outside the scenario"),
    .init(file: "fault-negative-time", line: 25, column: 9, keyPath: "faults[0].at", fragment: "before its start"),
    .init(file: "deep-mapping-nesting", line: 5, column: 260, keyPath: "", fragment: "nesting deeper than 64 levels"),
    .init(file: "deep-block-nesting", line: 69, column: 129, keyPath: "", fragment: "nesting deeper than 64 levels"),
    .init(
        file: "duplicate-key-quoted", line: 15, column: 7, keyPath: "world.resolvers[0]",
        fragment: "duplicate key 'id' (first given at line 14)"),
    .init(file: "world-is-list", line: 5, column: 8, keyPath: "world", fragment: "expected a mapping, found a list"),
    .init(file: "name-is-mapping", line: 3, column: 7, keyPath: "name", fragment: "expected a string, found a mapping"),
    .init(file: "duration-is-bool", line: 4, column: 11, keyPath: "duration", fragment: "invalid duration 'yes'"),
    .init(file: "two-documents", line: 23, column: 1, keyPath: "", fragment: "found a second '---'"),
    .init(file: "tab-indentation", line: 6, column: 1, keyPath: "", fragment: "YAML syntax error"),
    .init(file: "unterminated-quote", line: 6, column: 1, keyPath: "", fragment: "while scanning a quoted scalar"),
    .init(file: "binary-tag", line: 3, column: 7, keyPath: "", fragment: "the YAML tag '!!binary' is not supported"),
    .init(file: "ruby-object-tag", line: 5, column: 8, keyPath: "", fragment: "the YAML tag '!ruby/object:Gem::Installer'"),
    .init(file: "complex-key", line: 4, column: 3, keyPath: "", fragment: "keys must be strings, found a list"),
    .init(file: "merge-key", line: 14, column: 7, keyPath: "world.resolvers[0]", fragment: "merge keys ('<<') are not supported"),
    .init(
        file: "record-ttl-overflow", line: 12, column: 13, keyPath: "world.authorities[0].zones[0].records",
        fragment: "TTL '99999999999' is not a number of seconds"),
    .init(
        file: "unknown-lease-client", line: 19, column: 38, keyPath: "world.leaseManagers[0].client",
        fragment: "unknown client 'nobody'"),
    .init(
        file: "resolvers-null-item", line: 22, column: 19, keyPath: "world.clients[0].resolvers[0]",
        fragment: "expected an id, found null"),
]

@Suite("Malformed scenario files")
struct ScenarioLoaderMalformedTests {
    @Test("each malformed fixture reports its position, key path and message", arguments: malformedCases)
    func malformed(_ expected: MalformedCase) {
        let path = Fixtures.path("invalid/\(expected.file).yaml")
        #expect(throws: ScenarioError.self) {
            try ScenarioLoader().load(path: path)
        }
        do {
            _ = try ScenarioLoader().load(path: path)
        } catch {
            // The fragment is matched against the rendered diagnostic, so it may include the suggestion.
            let match = error.diagnostics.first {
                $0.line == expected.line && $0.column == expected.column && $0.keyPath == expected.keyPath
                    && $0.description.contains(expected.fragment)
            }
            #expect(match != nil, "\(expected.file): got \(error.diagnostics.map(\.description))")
            #expect(error.diagnostics.allSatisfy { $0.file == path })
        }
    }

    @Test("every fixture in Fixtures/invalid is in the table")
    func catalogueIsComplete() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("invalid"))
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(files == malformedCases.map(\.file).sorted())
        #expect(files.count >= 60)
    }

    @Test("the alias bomb fails even with a generous node budget, without expanding it")
    func aliasBombWithLargeBudget() {
        // 10^10 leaves: expanding would never finish; the composer counts sizes instead of walking.
        let loader = ScenarioLoader(maxNodes: 50_000_000)
        #expect(throws: ScenarioError.self) { try loader.load(path: Fixtures.path("invalid/alias-bomb.yaml")) }
    }

    @Test("several problems in one file are all reported, in file order")
    func allErrorsReported() throws {
        let text = """
            schema: dnscascade/v1
            name: many
            duration: 1h
            world:
              resolvers:
                - id: r1
                  upstreamTries: 0
                  prefech: true
              clients:
                - id: c
                  endpoint: nowhere
                  resolvers: [r1]
            """
        do {
            _ = try ScenarioLoader().load(text: text, sourceName: "many.yaml")
            Issue.record("loaded a broken file")
        } catch {
            let lines = error.diagnostics.map(\.line)
            #expect(lines == [7, 8, 11])
            #expect(error.diagnostics[1].suggestion == "prefetch")
        }
    }

    /// Found by the fuzzer: a start a thousand years before an absolute time used to overflow when the error message
    /// formatted the start (Unix nanoseconds of year 1012 do not fit in 64 bits).
    @Test("a start centuries away from an absolute time gives an error, not an overflow")
    func farStartFormatsInTheError() throws {
        let text = """
            schema: dnscascade/v1
            name: far
            start: 1012-10-19T23:00:00-07:00
            duration: 2h
            world:
              authorities:
                - id: ns1
                  zones:
                    - origin: example.
                      records: |
                        example. 3600 IN SOA ns1.example. hostmaster.example. 1 7200 900 1209600 300
            faults:
              - id: f
                target: authority/ns1
                at: 10m
                noAnswer: {}
            operators:
              - at: 1012-10-20T03:00:00-07:00
                endFault: f
            """
        do {
            _ = try ScenarioLoader().load(text: text, sourceName: "far.yaml")
            Issue.record("loaded a time a thousand years after the end")
        } catch {
            let message = try #require(error.diagnostics.first).description
            #expect(message.contains("far.yaml:18:"))
            #expect(message.contains("outside the scenario"))
            #expect(message.contains("1012-10-19T23:00:00-07:00"))
        }
    }

    @Test("the description is file:line:column: error: path (id x): message (did you mean ...)")
    func descriptionFormat() throws {
        do {
            _ = try ScenarioLoader().load(path: Fixtures.path("invalid/unknown-key.yaml"))
        } catch {
            #expect(
                error.diagnostics[0].description
                    == "\(Fixtures.path("invalid/unknown-key.yaml")):15:7: error: world.resolvers[0] (id r1): unknown key 'serveStail' (did you mean 'serveStale'?)"
            )
        }
    }

    @Test("invalid UTF-8 is rejected with its position")
    func invalidUTF8() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.yaml")
        var bytes = Array("schema: dnscascade/v1\nname: caf".utf8)
        bytes += [0xC3, 0x28]
        try Data(bytes).write(to: file)
        do {
            _ = try ScenarioLoader().load(path: file.path)
            Issue.record("loaded invalid UTF-8")
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics[0].line == 2)
            #expect(error.diagnostics[0].column == 10)
            #expect(error.diagnostics[0].message.contains("invalid UTF-8"))
        }
    }

    @Test("binary garbage is rejected")
    func binaryGarbage() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("garbage.yaml")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let bytes = (0..<4096).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        try Data(bytes).write(to: file)
        #expect(throws: ScenarioError.self) { try ScenarioLoader().load(path: file.path) }
        // Control characters without NUL bytes or bad UTF-8 are caught by the YAML reader.
        #expect(throws: ScenarioError.self) {
            try ScenarioLoader().load(text: "schema: \u{01}\u{02}\u{7F}", sourceName: "ctl.yaml")
        }
        do {
            _ = try ScenarioLoader().load(text: "a\u{0}b", sourceName: "nul.yaml")
        } catch {
            #expect(error.diagnostics[0].message.contains("binary"))
            #expect(error.diagnostics[0].column == 2)
        }
    }

    @Test("a 100 MB file is refused by its size, before it is read; so is 11 MB of text")
    func hugeFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("huge.yaml")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        let line = "# padding padding padding padding padding padding padding padding padding padding\n"
        let chunk = Data(String(repeating: line, count: 12_000).utf8)
        while try handle.offset() < 100 << 20 { try handle.write(contentsOf: chunk) }
        try handle.close()
        do {
            _ = try ScenarioLoader().load(path: file.path)
            Issue.record("loaded a 100 MB file")
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics[0].line == 1 && error.diagnostics[0].column == 1)
            #expect(error.diagnostics[0].message.contains("limited to 10485760 bytes"))
        }
        do {
            _ = try ScenarioLoader().load(
                text: String(repeating: line, count: 11 << 20 / line.utf8.count), sourceName: "big.yaml")
            Issue.record("loaded 11 MB of text")
        } catch {
            #expect(error.diagnostics[0].message.contains("scenario files are limited to 10485760 bytes"))
        }
    }

    @Test("a missing file is an error, not a crash")
    func missingFile() {
        #expect(throws: ScenarioError.self) { try ScenarioLoader().load(path: Fixtures.path("invalid/no-such-file.yaml")) }
    }
}
