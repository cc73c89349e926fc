import AresShim
import DNSModel

private let fallbackQuestion = Question(name: try! DomainName("kv.example."), type: .a)
nonisolated(unsafe) private let swiftClassifier = SwiftResponseClassifier()
nonisolated(unsafe) private let aresClassifier = AresResponseClassifier(memoizes: false)

/// One libFuzzer input: reply bytes → ``WireDecoder`` and both response classifiers.
///
/// The query is the reply's own question when it decodes (so the fuzzer reaches the answer-parsing paths), else
/// `kv.example. A`; the query ID is the reply's. Neither decoder nor classifier may crash, and the pure-Swift
/// classifier must agree with c-ares (``AresResponseClassifier``, the reference) on every UDP reply to an A or
/// AAAA query (the only types clients look up).
///
/// Exported as `LLVMFuzzerTestOneInput` too, which libFuzzer's own `main` (linked in, but not the entry point) names.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let decoded = try? WireDecoder.decode(bytes)
    if let decoded {
        // What decodes and encodes again must decode to the same message.
        if let encoded = try? WireEncoder.encode(decoded) {
            let again = try? WireDecoder.decode(encoded)
            precondition(again == decoded, "decode(encode(m)) != m for \(decoded)")
        }
    }
    let question = decoded?.questions.first ?? fallbackQuestion
    let queryID = size >= 2 ? UInt16(bytes[0]) << 8 | UInt16(bytes[1]) : 0
    let swift = swiftClassifier.classify(bytes, query: question, queryID: queryID)
    let ares = aresClassifier.classify(bytes, query: question, queryID: queryID)
    _ = aresClassifier.classify(bytes, query: question, queryID: queryID, overTCP: true)
    // Clients look up only A and AAAA; for other types c-ares parses nothing and the two are documented to differ.
    guard question.type == .a || question.type == .aaaa else { return 0 }
    precondition(swift == ares, "classifiers disagree on \(question) id \(queryID): c-ares \(ares), Swift \(swift)")
    return 0
}
