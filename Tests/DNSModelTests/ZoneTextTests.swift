import Testing

@testable import DNSModel

@Suite struct ZoneTextTests {
    static let origin = name("example.")

    @Test(arguments: [
        ("kv.example. 60 IN A 192.0.2.10", "kv.example. 60 IN A 192.0.2.10"),
        ("kv.example. 60 A 192.0.2.10", "kv.example. 60 IN A 192.0.2.10"),
        ("kv.example. IN 60 A 192.0.2.10", "kv.example. 60 IN A 192.0.2.10"),
        ("kv 1h IN AAAA 2001:DB8::1", "kv.example. 3600 IN AAAA 2001:db8::1"),
        ("@ 300 IN NS ns1", "example. 300 IN NS ns1.example."),
        ("www 300 IN CNAME kv.example.", "www.example. 300 IN CNAME kv.example."),
        ("www 300 cname kv", "www.example. 300 IN CNAME kv.example."),
        (
            "@ 3600 IN SOA ns1 hostmaster 2025102001 7200 900 1209600 60",
            "example. 3600 IN SOA ns1.example. hostmaster.example. 2025102001 7200 900 1209600 60"
        ),
        (
            "@ 3600 IN SOA ns1.example. hostmaster.example. ( 1 2h 15m 2w 1m ) ; serial etc.",
            "example. 3600 IN SOA ns1.example. hostmaster.example. 1 7200 900 1209600 60"
        ),
        ("txt 60 IN TXT \"hello world\" \"two\"", "txt.example. 60 IN TXT \"hello world\" \"two\""),
        ("txt 60 IN TXT \"say \\\"hi\\\" \\\\ ok\"", "txt.example. 60 IN TXT \"say \\\"hi\\\" \\\\ ok\""),
        ("txt 60 IN TXT bare words", "txt.example. 60 IN TXT \"bare\" \"words\""),
        ("txt 60 IN TXT \"a;b\" ; comment", "txt.example. 60 IN TXT \"a;b\""),
        ("mx 60 IN TYPE15 \\# 3 000a0b", "mx.example. 60 IN MX \\# 3 000a0b"),
        ("kv 60 IN A \\# 4 c000020a", "kv.example. 60 IN A 192.0.2.10"),
        ("*.example. 60 IN A 192.0.2.1", "*.example. 60 IN A 192.0.2.1"),
    ])
    func goodLines(text: String, expected: String) throws {
        let parsed = try ResourceRecord(zoneText: text, origin: ZoneTextTests.origin)
        #expect(parsed.description == expected)
        // The description parses back to an equal record, without an origin.
        #expect(try ResourceRecord(zoneText: parsed.description) == parsed)
    }

    @Test func defaultTTLAndTypedData() throws {
        let parsed = try ResourceRecord(zoneText: "kv A 192.0.2.1", origin: ZoneTextTests.origin, defaultTTL: 30)
        #expect(parsed.ttl == 30)
        #expect(parsed.data == .a(IPv4Address(192, 0, 2, 1)))
        #expect(parsed.type == .a)
        #expect(parsed.name == name("kv.example."))
        let soa = try ResourceRecord(zoneText: "example. 10 IN SOA a. b. 1 2 3 4 5")
        guard case .soa(let data) = soa.data else {
            Issue.record("not an SOA")
            return
        }
        #expect(data.minimum == 5 && data.serial == 1 && data.mname == name("a."))
    }

    @Test(arguments: [
        ("kv.example. 60 IN A 192.0.2.300", "'192.0.2.300' is not an IPv4 address", 21),
        ("kv.example. 60 IN AAAA 1::2::3", "is not an IPv6 address", 24),
        ("kv.example. 60 IN A", "missing IPv4 address", 20),
        ("kv.example. IN A 192.0.2.1", "missing TTL", 16),
        ("kv.example. 60 IN BOGUS 1", "unknown record type 'BOGUS'", 19),
        ("kv.example. 60 IN A 192.0.2.1 extra", "unexpected 'extra'", 31),
        ("kv 60 IN A 192.0.2.1", "relative owner name 'kv' needs an origin", 1),
        ("@ 60 IN A 192.0.2.1", "'@' needs an origin", 1),
        ("kv..example. 60 IN A 192.0.2.1", "owner name 'kv..example.': label 2 is empty", 1),
        ("kv.example. 60 IN TXT \"open", "unterminated quoted string", 23),
        ("kv.example. 60 IN SOA a. b. 1 2 3 4", "missing SOA MINIMUM", 36),
        ("kv.example. 60 IN SOA a. b. x 2 3 4 5", "SOA SERIAL 'x' is not a number", 29),
        ("kv.example. 60 IN SOA ( a. b. 1 2 3 4 5", "'(' without ')'", 40),
        ("kv.example. 60 IN A 192.0.2.1 )", "')' without '('", 31),
        ("kv.example. 60 60 IN A 192.0.2.1", "second TTL '60'", 16),
        ("kv.example. 60 IN IN A 192.0.2.1", "second class 'IN'", 19),
        ("kv.example. 9x IN A 192.0.2.1", "TTL '9x' is not a number", 13),
        ("kv.example. 60 IN MX 10 mail", "MX data must be written in the RFC 3597 form", 19),
        ("kv.example. 60 IN TYPE99 \\# 3 0a0b", "RDATA length 3 but 2 bytes", 29),
        ("kv.example. 60 IN TYPE99 \\# 2 0g0b", "'0g0b' is not hex bytes", 31),
        ("kv.example. 60 IN A \\# 3 0a0b0c", "A data in '\\#' form does not decode", 32),
        ("kv.example. 60 IN CNAME \"quoted\"", "CNAME target must not be quoted", 25),
        ("   ", "no record on this line", 4),
        ("kv.example. 60 IN TXT \"bad \\999\"", "'\\999' is not a byte value", 28),
    ])
    func badLines(text: String, reason: String, column: Int) {
        #expect {
            try ResourceRecord(zoneText: text, defaultTTL: nil)
        } throws: { error in
            guard case DNSModelError.invalidRecord(let given, let message, let at) = error else { return false }
            let ok = given == text && message.contains(reason) && (at == column || (at == nil && reason.contains("no record")))
            if !ok { Issue.record("got \(error)") }
            return ok
        }
    }

    @Test func errorDescriptionSaysWhatAndWhere() {
        #expect {
            try ResourceRecord(zoneText: "kv.example. 60 IN A nope")
        } throws: { error in
            (error as? DNSModelError)?.description
                == "invalid record \"kv.example. 60 IN A nope\" at column 21: 'nope' is not an IPv4 address"
        }
    }

    @Test func relativeNamesUnderRootOrigin() throws {
        let parsed = try ResourceRecord(zoneText: "com 60 IN NS a.gtld", origin: .root)
        #expect(parsed.description == "com. 60 IN NS a.gtld.")
    }

    @Test func txtWithNonPrintableBytesRoundTrips() throws {
        let original = ResourceRecord(name: name("t."), ttl: 1, data: .txt(["tab\there", "quote\"back\\slash", ""]))
        #expect(try ResourceRecord(zoneText: original.description) == original)
    }
}
