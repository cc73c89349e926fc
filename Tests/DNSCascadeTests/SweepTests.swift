import DNSCascade
import Foundation
import Synchronization
import Testing

/// `dnscascade sweep` and `merge` through the library: grids, shards, resuming, and the errors of each.
@Suite("Sweeps")
struct SweepTests {
    static let file = ClassroomScenarioTests.path("02-deleted-name.yaml")
    static let axis = "resolvers.r1.maxNegativeTTL=60,300"

    static func sweep(shard: String? = nil, workers: Int) throws -> Sweep {
        try Sweep(
            scenario: file, grid: SweepGrid(parsing: [axis]), runs: 2,
            shard: shard.map { text throws(DNSCascadeError) in try Sweep.Shard(parsing: text) }, workers: workers)
    }

    @Test("grid points cross the axes in order, the first slowest")
    func points() throws {
        let grid = try SweepGrid(parsing: ["a=1,2", "b.c=x,y,z"])
        #expect(grid.points.count == 6)
        #expect(grid.points[0] == ["a=1", "b.c=x"])
        #expect(grid.points[1] == ["a=1", "b.c=y"])
        #expect(grid.points[5] == ["a=2", "b.c=z"])
    }

    @Test(
        "bad grids and shards are input errors that say what is wrong",
        arguments: [
            ([], "the grid is empty"), (["a"], "no '='"), (["a="], "no values"), (["a=1,,2"], "value 2 is empty"),
            (["=1"], "path before '=' is empty"), (["a=1", "a=2"], "already an axis"),
        ])
    func badGrid(arguments: [String], fragment: String) {
        #expect {
            _ = try SweepGrid(parsing: arguments)
        } throws: { error in
            (error as? DNSCascadeError)?.description.contains(fragment) == true
        }
    }

    @Test("shards are i/N with 0 ≤ i < N", arguments: ["3/3", "-1/2", "1", "a/b", "0/0"])
    func badShard(text: String) {
        #expect(throws: DNSCascadeError.self) { try Sweep.Shard(parsing: text) }
    }

    @Test("merged shards, any thread count and a resumed sweep all give the unsharded output byte for byte")
    func shardsMergeToOneSweep() throws {
        let whole = try Self.sweep(workers: 2)
        let header = try whole.prepare()
        #expect(header.tasks == 4)
        let records = try whole.run(header: header)
        let expected = SweepFormat.ndjson.render(header, records)

        // The mechanism shows through: a longer negative-TTL cap keeps the worker fleet failing longer.
        func recovery(_ record: SweepRecord) -> Int64? { record.components.first { $0.id == "client/worker" }?.recoveryMs }
        let short = try #require(recovery(records[0]))
        let long = try #require(recovery(records[2]))
        #expect(long > short + 180_000)

        var shardTexts: [(name: String, text: String)] = []
        for index in [2, 0, 1] {
            let shard = try Self.sweep(shard: "\(index)/3", workers: 1)
            let shardHeader = try shard.prepare()
            #expect(shard.tasks(of: shardHeader) == [0, 1, 2, 3].filter { $0 % 3 == index })
            shardTexts.append(("s\(index).ndjson", SweepFormat.ndjson.render(shardHeader, try shard.run(header: shardHeader))))
        }
        let (mergedHeader, merged) = try SweepMerge.merge(shardTexts)
        #expect(SweepFormat.ndjson.render(mergedHeader, merged) == expected)
        #expect(SweepFormat.csv.render(mergedHeader, merged) == SweepFormat.csv.render(header, records))

        // Resume: a journal holding tasks 0 and 2 and a torn line; only tasks 1 and 3 are run again.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.ndjson").path
        let journalText =
            SweepFormat.line(header) + SweepFormat.line(records[0]) + SweepFormat.line(records[2]) + "{\"task\":1,\"po"
        try journalText.write(toFile: output + ".partial", atomically: true, encoding: .utf8)
        let journal = try SweepJournal(output: output, header: header)
        #expect(journal.done.map(\.task) == [0, 2])
        let ran = Counter()
        let resumed = try whole.run(header: header, done: journal.done) { _ in ran.increment() }
        #expect(ran.value == 2)
        try journal.finish(SweepFormat.ndjson.render(header, resumed))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == expected)
        #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
    }

    @Test("a partial sweep of different settings is not reused")
    func foreignJournal() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.ndjson").path
        let header = Self.header(tasks: 4)
        var other = header
        other.runs = 3
        try SweepFormat.line(other).write(toFile: output + ".partial", atomically: true, encoding: .utf8)
        #expect {
            _ = try SweepJournal(output: output, header: header)
        } throws: { error in
            (error as? DNSCascadeError)?.description.contains("different settings") == true
        }
    }

    static func header(tasks: Int, shard: String? = nil) -> SweepHeader {
        SweepHeader(
            scenario: "x.yaml", seed: 1, grid: SweepGrid(axes: [.init(path: "a", values: ["1", "2"])]), overrides: [],
            runs: tasks / 2, tasks: tasks, shard: shard)
    }

    static func record(_ task: Int) -> String {
        "{\"components\":[],\"events\":1,\"expectations\":[],\"lookups\":1,\"passed\":true,\"point\":[\"a=1\"],\"run\":1,"
            + "\"seed\":1,\"task\":\(task)}\n"
    }

    @Test(
        "merge refuses incomplete, overlapping or foreign shards, naming the file and line",
        arguments: [
            ([("s0", 0, [0, 2]), ("s1", 1, [1])], "task 3 is missing"),
            ([("s0", 0, [0, 2])], "shard 1/2 is missing"),
            ([("s0", 0, [0, 2]), ("s1", 1, [1, 3]), ("s1b", 1, [1, 3])], "s1b:1: error: shard 1/2 is also in s1"),
            ([("s0", 0, [0, 2, 2]), ("s1", 1, [1, 3])], "s0:4: error: task 2 is also in s0:3"),
            ([("s0", 0, [0, 1]), ("s1", 1, [3])], "s0:3: error: task 1 does not belong to shard 0/2"),
        ])
    func mergeErrors(shards: [(String, Int, [Int])], fragment: String) {
        let inputs = shards.map { name, index, tasks in
            (name: name, text: SweepFormat.line(Self.header(tasks: 4, shard: "\(index)/2")) + tasks.map(Self.record).joined())
        }
        #expect {
            _ = try SweepMerge.merge(inputs)
        } throws: { error in
            (error as? DNSCascadeError)?.description.contains(fragment) == true
        }
    }

    @Test("merge refuses a file from another sweep and a cut-off last line")
    func mergeForeignAndTorn() {
        var other = Self.header(tasks: 4, shard: "1/2")
        other.seed = 2
        let s0 = SweepFormat.line(Self.header(tasks: 4, shard: "0/2")) + Self.record(0) + Self.record(2)
        #expect(throws: DNSCascadeError.self) {
            try SweepMerge.merge([("s0", s0), ("s1", SweepFormat.line(other) + Self.record(1) + Self.record(3))])
        }
        #expect(throws: DNSCascadeError.self) { try SweepMerge.merge([("s0", String(s0.dropLast(3)))]) }
        #expect(throws: DNSCascadeError.self) { try SweepMerge.merge([("junk", "not json\n")]) }
    }
}

/// A thread-safe counter for callbacks.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
