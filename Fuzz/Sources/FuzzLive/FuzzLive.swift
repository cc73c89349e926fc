import DNSCascade
import DNSModel
import LiveDNS

/// The zone the fuzzer's queries meet: one name with addresses, one without, and (in the second snapshot) behaviour
/// faults in force — truncation over UDP, malformed and garbage replies, SERVFAIL — with probabilities.
private let scenario = """
    schema: dnscascade/v1
    name: fuzz-live
    duration: 10m
    world:
      authorities: [{id: ns1, zones: [{origin: example., records: "example. 3600 IN SOA ns1.example. h.example. 1 7200 900 1209600 300\\nkv.example. 60 IN A 192.0.2.10\\nkv.example. 60 IN A 192.0.2.11\\nempty.example. 60 IN TXT \\"x\\""}]}]
    faults:
      - {id: tc, at: 5m, target: authority/ns1, truncate: {probability: 0.3}}
      - {id: bad, at: 5m, target: authority/ns1, malformed: {probability: 0.2}}
      - {id: junk, at: 5m, target: authority/ns1, garbage: {probability: 0.2}}
      - {id: fail, at: 5m, target: authority/ns1, servfail: {probability: 0.2}}

    """

private func snapshot(at minutes: Int64) -> AuthoritySnapshot {
    // A fixed, valid scenario: failing to load it is a bug in this harness.
    let spec = try! ScenarioPipeline().load(.text(scenario, sourceName: "fuzz-live.yaml")).spec
    return try! LiveAuthority.frozen(spec: spec, at: SimTime.zero + .minutes(minutes)).snapshot
}

private let healthy = snapshot(at: 1)
private let faulty = snapshot(at: 6)

/// One libFuzzer input: query bytes → ``LiveResponder/reply(to:snapshot:)``, over the healthy zone (even sizes) or
/// the faulty one (odd sizes). It must never crash; over the healthy zone every reply must decode and carry the
/// query's ID.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLive(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let useFaulty = size % 2 == 1
    let reply = LiveResponder().reply(to: bytes, snapshot: useFaulty ? faulty : healthy)
    guard !useFaulty, let reply else { return 0 }
    let decoded = try? WireDecoder.decode(reply)
    precondition(decoded != nil, "the healthy zone sent a reply that does not decode: \(reply)")
    precondition(reply.count >= 2 && size >= 2 && reply[0] == bytes[0] && reply[1] == bytes[1], "reply ID differs")
    return 0
}
