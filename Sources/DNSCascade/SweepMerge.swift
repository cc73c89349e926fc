/// Joins the NDJSON outputs of a sharded sweep (`dnscascade merge`) into the output one unsharded sweep would give.
///
/// Every input must come from the same sweep (same header but for the shard), the shards `0…N−1` must each appear
/// once, and every task must appear exactly once; anything else is an error naming the file and line.
///
/// ```swift
/// let (header, records) = try SweepMerge.merge([("s0.ndjson", text0), ("s1.ndjson", text1)])
/// print(SweepFormat.ndjson.render(header, records), terminator: "")
/// ```
public enum SweepMerge {
    public static func merge(_ inputs: [(name: String, text: String)]) throws(DNSCascadeError) -> (SweepHeader, [SweepRecord]) {
        guard !inputs.isEmpty else { throw .sweepFile("merge: error: no input files") }
        var common: SweepHeader?
        var shards: [Int: String] = [:]
        var shardCount: Int?
        var records: [Int: (SweepRecord, String)] = [:]
        for (name, text) in inputs {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            guard let first = lines.first, var header = SweepFormat.header(from: first) else {
                throw .sweepFile("\(name):1: error: not a sweep output (the first line is not a sweep header)")
            }
            if !text.hasSuffix("\n") {
                throw .sweepFile("\(name):\(lines.count): error: the last line is cut off (an interrupted write?)")
            }
            let shard = try parseShard(header.shard, name)
            header.shard = nil
            if let common, common != header {
                throw .sweepFile(
                    "\(name):1: error: from a different sweep than \(inputs[0].name) (scenario, seed, grid or runs differ)")
            }
            common = header
            let (index, count) = shard ?? (0, 1)
            if let shardCount, shardCount != count {
                throw .sweepFile("\(name):1: error: shard \(index)/\(count), but other inputs are shards of \(shardCount)")
            }
            shardCount = count
            if let other = shards[index] {
                throw .sweepFile("\(name):1: error: shard \(index)/\(count) is also in \(other)")
            }
            shards[index] = name
            for (offset, line) in lines.dropFirst().enumerated() where !line.isEmpty {
                let lineNumber = offset + 2
                guard let record = SweepFormat.record(from: line) else {
                    throw .sweepFile("\(name):\(lineNumber): error: not a sweep record")
                }
                guard record.task >= 0, record.task < header.tasks, record.task % count == index else {
                    throw .sweepFile(
                        "\(name):\(lineNumber): error: task \(record.task) does not belong to shard \(index)/\(count)")
                }
                if let (_, location) = records[record.task] {
                    throw .sweepFile("\(name):\(lineNumber): error: task \(record.task) is also in \(location)")
                }
                records[record.task] = (record, "\(name):\(lineNumber)")
            }
        }
        guard let header = common, let count = shardCount else { throw .sweepFile("merge: error: no input files") }
        if let missing = (0..<count).first(where: { shards[$0] == nil }) {
            throw .sweepFile("merge: error: shard \(missing)/\(count) is missing")
        }
        if let missing = (0..<header.tasks).first(where: { records[$0] == nil }) {
            let incomplete = records.count
            throw .sweepFile(
                "merge: error: task \(missing) is missing (\(incomplete) of \(header.tasks) tasks present; \(shards[missing % count]!) is incomplete)"
            )
        }
        return (header, (0..<header.tasks).map { records[$0]!.0 })
    }

    private static func parseShard(_ text: String?, _ name: String) throws(DNSCascadeError) -> (Int, Int)? {
        guard let text else { return nil }
        do {
            let shard = try Sweep.Shard(parsing: text)
            return (shard.index, shard.count)
        } catch {
            throw .sweepFile("\(name):1: error: bad shard '\(text)' in the header")
        }
    }
}
