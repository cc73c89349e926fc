import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Whether this test process (and so the `dnscascade` built beside it) runs under ThreadSanitizer, whose runtime
/// cannot start under a small file-size limit (it dies with SIGBUS before `main`).
let underThreadSanitizer: Bool = {
    #if canImport(Glibc)
        return dlsym(nil, "__tsan_init") != nil  // nil: RTLD_DEFAULT, every loaded object
    #else
        return false
    #endif
}()

/// Hostile input through the real binary: malformed scenario files exit 2 with `file:line:column: error:` lines and
/// never crash; a failed output write leaves no partial file. (Every fixture goes through the loader in
/// ScenarioLoaderMalformedTests; these are a representative subset end to end.)
@Suite struct BadInputCommandTests {
    let cli: CommandRunner
    let dir: ScenarioDirectory

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ScenarioLoaderTests/Fixtures/invalid")

    static let subset = [
        "alias-bomb", "alias-cycle", "deep-nesting", "deep-block-nesting", "duplicate-key", "huge-integer",
        "duration-overflow", "unknown-key", "unknown-resolver", "time-outside", "negative-duration", "zero-duration",
        "binary-tag", "two-documents", "yaml-syntax", "empty",
    ]

    init() throws {
        cli = try CommandRunner.locate()
        dir = try ScenarioDirectory()
        try dir.write("tiny.yaml", Scenarios.tiny)
    }

    /// Exit 2, nothing on stdout, every stderr line `file:line:column: error: message`, no crash report.
    func expectLocatedRejection(_ result: CommandRunner.Result, file: String, _ name: String) {
        #expect(result.status == 2, "\(name): exit \(result.status)\n\(result.stderr)")
        #expect(result.stdout == "", "\(name)")
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty, "\(name)")
        for line in lines {
            #expect(line.hasPrefix(file + ":"), "\(name): \(line)")
            #expect(line.wholeMatch(of: /.+:\d+:\d+: error: .+/) != nil, "\(name): \(line)")
        }
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("crashed"), "\(name)")
    }

    @Test("malformed fixtures exit 2 with located messages", arguments: subset)
    func validateRejects(name: String) throws {
        let path = Self.fixtures.appendingPathComponent("\(name).yaml").path
        expectLocatedRejection(try cli.run(["validate", path], in: dir.url), file: path, name)
    }

    @Test("run rejects malformed files the same way", arguments: ["alias-bomb", "unknown-key", "duration-overflow"])
    func runRejects(name: String) throws {
        let path = Self.fixtures.appendingPathComponent("\(name).yaml").path
        expectLocatedRejection(try cli.run(["run", path], in: dir.url), file: path, name)
    }

    @Test("a 100 MB file is refused by its size, at once")
    func hundredMegabytes() throws {
        let file = dir.url.appendingPathComponent("huge.yaml")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        let chunk = Data(
            String(repeating: "# padding padding padding padding padding padding padding padding padding\n", count: 14_000).utf8)
        while try handle.offset() < 100 << 20 { try handle.write(contentsOf: chunk) }
        try handle.close()
        let result = try cli.run(["validate", "huge.yaml"], in: dir.url)
        expectLocatedRejection(result, file: "huge.yaml", "100 MB")
        #expect(result.stderr.contains("huge.yaml:1:1: error: file is 10"))
        #expect(result.stderr.contains("scenario files are limited to 10485760 bytes"))
    }

    @Test("invalid UTF-8 and binary garbage exit 2 with their position")
    func binaryInput() throws {
        let utf8 = dir.url.appendingPathComponent("latin1.yaml")
        try Data(Array("schema: dnscascade/v1\nname: caf".utf8) + [0xE9, 0x0A]).write(to: utf8)
        let result = try cli.run(["validate", "latin1.yaml"], in: dir.url)
        expectLocatedRejection(result, file: "latin1.yaml", "invalid UTF-8")
        #expect(result.stderr.hasPrefix("latin1.yaml:2:10: error: invalid UTF-8 (byte 0xE9"))

        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        let garbage = (0..<65_536).map { _ -> UInt8 in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
        try Data(garbage).write(to: dir.url.appendingPathComponent("garbage.yaml"))
        expectLocatedRejection(try cli.run(["run", "garbage.yaml"], in: dir.url), file: "garbage.yaml", "garbage")
    }

    @Test(
        "an output write that fails half-way leaves the old file and no temporary",
        .disabled(if: underThreadSanitizer, "ThreadSanitizer's runtime cannot start under a 512-byte file-size limit"))
    func failedWriteLeavesNoPartialFile() throws {
        // A 512-byte file-size limit (SIGXFSZ ignored, so the write fails with EFBIG instead of killing the process):
        // the JSON report is far larger, so writing it fails part-way through.
        try dir.write("out/report.json", "previous\n")
        let shell = CommandRunner(executable: URL(fileURLWithPath: "/bin/sh"))
        let result = try shell.run(
            [
                "-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"", cli.executable.path, "run", "tiny.yaml", "--format",
                "json",
                "--output", "out/report.json",
            ],
            in: dir.url)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("out/report.json: error: cannot write the output file"))
        #expect(try String(contentsOf: dir.url.appendingPathComponent("out/report.json"), encoding: .utf8) == "previous\n")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("out").path) == ["report.json"])

        // Without the limit the same command replaces the file completely.
        let ok = try cli.run(["run", "tiny.yaml", "--format", "json", "--output", "out/report.json"], in: dir.url)
        #expect(ok.status == 0)
        let written = try String(contentsOf: dir.url.appendingPathComponent("out/report.json"), encoding: .utf8)
        #expect(written.count > 512 && written.hasPrefix("{") && written.hasSuffix("}\n"))
    }
}
