import AresShim
import DNSModel
import Foundation
import SimKernel

// The c-ares shim's C paths, synchronously, for valgrind memcheck (the test runner's concurrency runtime crashes
// valgrind 3.19 before any test runs): every reply file in the given directories goes through
// AresResponseClassifier (memo on and off, UDP and TCP, IGNTC) and through a real c-ares channel in the loop
// (AresLoopback: fake sockets, retries, TCP fallback). `ShimMemcheck Tests/FuzzCorpus/wire [more dirs]`.
let fallback = Question(name: try! DomainName("kv.example."), type: .a)
var files: [URL] = []
for directory in CommandLine.arguments.dropFirst() {
    let url = URL(fileURLWithPath: directory)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    files += names.sorted().map { url.appendingPathComponent($0) }
}
guard !files.isEmpty else {
    FileHandle.standardError.write(Data("usage: ShimMemcheck DIRECTORY...\n".utf8))
    exit(2)
}

var outcomes: [LookupOutcome: Int] = [:]
let memoized = AresResponseClassifier(memoizes: true, memoCapacity: 8)
let plain = AresResponseClassifier(memoizes: false)
let ignoring = AresResponseClassifier(ignoresTruncation: true, memoizes: false)
for file in files {
    guard let bytes = try? [UInt8](Data(contentsOf: file)) else { continue }
    let question = (try? WireDecoder.decode(bytes))?.questions.first ?? fallback
    let id = bytes.count >= 2 ? UInt16(bytes[0]) << 8 | UInt16(bytes[1]) : 0
    for classifier in [memoized, plain, ignoring] {
        for overTCP in [false, true] {
            outcomes[classifier.classify(bytes, query: question, queryID: id, overTCP: overTCP).outcome, default: 0] += 1
        }
    }
}

// c-ares in the loop: each reply (its ID replaced by the query's) from a first server that also times out once,
// a second whose port is closed, and TCP answering the same bytes after a truncated UDP reply.
var lookups = 0
for file in files.prefix(64) {
    guard let bytes = try? [UInt8](Data(contentsOf: file)), bytes.count >= 12 else { continue }
    let reply: AresLoopback.ReplyBuilder = { query in
        var patched = bytes
        patched[0] = UInt8(query.header.id >> 8)
        patched[1] = UInt8(query.header.id & 0xFF)
        return patched
    }
    let scripts = [
        AresLoopback.ServerScript(
            udp: [.silent, .reply(after: .milliseconds(1), reply)], tcp: [.reply(after: .milliseconds(1), reply)]),
        AresLoopback.ServerScript(udp: [.portClosed(after: .milliseconds(1))]),
    ]
    let options = StubResolverOptions(timeout: .milliseconds(20), tries: 2)
    guard let loop = try? AresLoopback(options: options, servers: scripts) else { continue }
    let question = (try? WireDecoder.decode(bytes))?.questions.first ?? fallback
    _ = loop.lookup(question)
    _ = loop.lookup(fallback, deadline: .milliseconds(5))
    lookups += 2
}
let summary = outcomes.sorted { $0.key.rfcName < $1.key.rfcName }.map { "\($0.key.rfcName)=\($0.value)" }
print("classified \(files.count) replies × 6: \(summary.joined(separator: " ")); \(lookups) c-ares lookups in the loop")
