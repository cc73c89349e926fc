import Foundation
import Testing

/// `dnscascade bench --child`, the fresh process each lookup run and scaling point of `bench` is measured in: its
/// one JSON line is what the parent decodes, and a request it does not know is refused.
@Suite struct BenchCommandTests {
    let cli: CommandRunner

    init() throws {
        cli = try CommandRunner.locate()
    }

    @Test func aLookupRunPrintsItsResultAsOneJSONLine() throws {
        let result = try cli.run(["bench", "--child", "lookups:20:1"], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let json = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any]
        // 20 instances every 10 ms for one virtual second: about 2,000 lookups, three events each.
        let lookups = json?["lookups"] as? Int ?? 0
        #expect((1_900...2_100).contains(lookups))
        #expect((json?["events"] as? Int ?? 0) >= 3 * lookups)
        #expect((json?["cpuSeconds"] as? Double ?? 0) > 0)
        #expect(json?["virtualSeconds"] as? Double == 1)
    }

    @Test func anUnknownRequestIsRefused() throws {
        let result = try cli.run(["bench", "--child", "lookups:20"], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("unknown benchmark request 'lookups:20'"))
    }
}
