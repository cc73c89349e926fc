import Testing

@testable import DNSModel

@Suite struct ZoneTests {
    static let text = """
        $TTL 300
        ; the example zone
        @       3600 IN SOA ns1 hostmaster ( 2025102001 ; serial
                        7200 900 1209600 60 )
                IN NS  ns1
        ns1     IN A   192.0.2.53
        kv      60 IN A 192.0.2.10
                60 IN A 192.0.2.11
        kv      60 IN AAAA 2001:db8::10
        www     IN CNAME kv
        alias   IN CNAME www
        loop1   IN CNAME loop2
        loop2   IN CNAME loop1
        away    IN CNAME kv.other.
        dangling IN CNAME gone
        deep.ent.example. IN TXT "below an empty non-terminal"
        *.wild  IN A 192.0.2.99

        """

    static func zone() throws -> Zone {
        try Zone(origin: name("example."), zoneText: text)
    }

    static func ask(_ zone: Zone, _ owner: String, _ type: RecordType) -> ZoneAnswer {
        zone.answer(Question(name: name(owner), type: type))
    }

    @Test func parsesZoneText() throws {
        let zone = try ZoneTests.zone()
        #expect(zone.origin == name("example."))
        #expect(zone.soa.ttl == 3600)
        #expect(zone.negativeTTL == 60)
        #expect(zone.records(named: name("kv.example."), type: .a).count == 2)
        #expect(zone.records(named: name("ns1.example."), type: .a).first?.ttl == 300)
        #expect(zone.records(named: name("example."), type: .ns).first?.data == .ns(name("ns1.example.")))
        #expect(zone.records.count == 14)
        #expect(zone.records.first?.type == .ns || zone.records.first?.type == .soa)
        #expect(zone.records.map(\.name) == zone.records.map(\.name).sorted())
    }

    @Test func answersExistingData() throws {
        let zone = try ZoneTests.zone()
        let answer = ZoneTests.ask(zone, "KV.example.", .a)
        #expect(answer.rcode == .noError)
        #expect(answer.answers.map(\.data) == [.a(IPv4Address(192, 0, 2, 10)), .a(IPv4Address(192, 0, 2, 11))])
        #expect(answer.authority.isEmpty)
    }

    @Test func noDataCarriesSOAWithNegativeTTL() throws {
        let zone = try ZoneTests.zone()
        let answer = ZoneTests.ask(zone, "kv.example.", .txt)
        #expect(answer.rcode == .noError)
        #expect(answer.answers.isEmpty)
        #expect(answer.isNoData)
        #expect(answer.authority.count == 1)
        #expect(answer.authority.first?.type == .soa)
        #expect(answer.authority.first?.ttl == 60)  // min(3600, MINIMUM 60)
    }

    @Test func negativeTTLIsTheSmallerOfSOATTLAndMinimum() throws {
        let zone = try Zone(
            origin: name("example."),
            records: [record("example. 30 IN SOA ns1.example. h.example. 1 2 3 4 600")])
        #expect(zone.negativeTTL == 30)
        #expect(zone.answer(Question(name: name("nope.example."), type: .a)).authority.first?.ttl == 30)
    }

    @Test func nxDomainForMissingNames() throws {
        let zone = try ZoneTests.zone()
        let answer = ZoneTests.ask(zone, "missing.example.", .a)
        #expect(answer.rcode == .nxDomain)
        #expect(answer.answers.isEmpty)
        #expect(answer.authority.first?.type == .soa)
        #expect(answer.authority.first?.ttl == 60)
        #expect(!zone.nameExists(name("missing.example.")))
    }

    @Test func emptyNonTerminalIsNoData() throws {
        let zone = try ZoneTests.zone()
        #expect(zone.nameExists(name("ent.example.")))
        let answer = ZoneTests.ask(zone, "ent.example.", .a)
        #expect(answer.rcode == .noError && answer.answers.isEmpty && answer.authority.count == 1)
        #expect(ZoneTests.ask(zone, "deep.ent.example.", .txt).answers.count == 1)
    }

    @Test func followsCNAMEChains() throws {
        let zone = try ZoneTests.zone()
        let answer = ZoneTests.ask(zone, "alias.example.", .a)
        #expect(answer.rcode == .noError)
        #expect(answer.answers.map(\.type) == [.cname, .cname, .a, .a])
        #expect(answer.answers.map(\.name) == ["alias.example.", "www.example.", "kv.example.", "kv.example."].map(name))
        // Asking for the CNAME itself does not follow it.
        #expect(ZoneTests.ask(zone, "alias.example.", .cname).answers.count == 1)
        // A chain ending in NODATA keeps the CNAMEs and adds the SOA.
        let noData = ZoneTests.ask(zone, "www.example.", .txt)
        #expect(noData.rcode == .noError && noData.answers.map(\.type) == [.cname] && noData.authority.count == 1)
    }

    @Test func cnameLoopsAndExitsStop() throws {
        let zone = try ZoneTests.zone()
        let loop = ZoneTests.ask(zone, "loop1.example.", .a)
        #expect(loop.rcode == .noError)
        #expect(loop.answers.map(\.type) == [.cname, .cname])
        let away = ZoneTests.ask(zone, "away.example.", .a)
        #expect(away.rcode == .noError && away.answers.count == 1 && away.authority.isEmpty)
        let dangling = ZoneTests.ask(zone, "dangling.example.", .a)
        #expect(dangling.rcode == .nxDomain && dangling.answers.count == 1)
    }

    @Test func wildcards() throws {
        let zone = try ZoneTests.zone()
        let answer = ZoneTests.ask(zone, "anything.wild.example.", .a)
        #expect(answer.rcode == .noError)
        #expect(answer.answers.first?.name == name("anything.wild.example."))
        #expect(answer.answers.first?.data == .a(IPv4Address(192, 0, 2, 99)))
        #expect(ZoneTests.ask(zone, "anything.wild.example.", .txt).isNoData)
        // The wildcard does not apply above its closest encloser's existing names.
        #expect(ZoneTests.ask(zone, "x.kv.example.", .a).rcode == .nxDomain)
    }

    @Test func emptiedRecordSetGivesNoData() throws {
        var zone = try ZoneTests.zone()
        zone.replaceRecords(named: name("kv.example."), type: .a, with: [])
        let answer = ZoneTests.ask(zone, "kv.example.", .a)
        #expect(answer.rcode == .noError && answer.answers.isEmpty && answer.authority.first?.type == .soa)
        // Even with every set emptied, the name still exists.
        zone.replaceRecords(named: name("kv.example."), type: .aaaa, with: [])
        #expect(zone.nameExists(name("kv.example.")))
        #expect(ZoneTests.ask(zone, "kv.example.", .aaaa).isNoData)
        // Refilling restores answers.
        zone.replaceRecords(named: name("kv.example."), type: .a, with: [record("kv.example. 5 IN A 192.0.2.77")])
        #expect(ZoneTests.ask(zone, "kv.example.", .a).answers.map(\.ttl) == [5])
    }

    @Test func removedNameGivesNXDomain() throws {
        var zone = try ZoneTests.zone()
        zone.removeName(name("kv.example."))
        #expect(ZoneTests.ask(zone, "kv.example.", .a).rcode == .nxDomain)
        #expect(!zone.nameExists(name("kv.example.")))
        // CNAMEs pointing at it now end in NXDOMAIN.
        #expect(ZoneTests.ask(zone, "www.example.", .a).rcode == .nxDomain)
        // Removing the only name below an empty non-terminal removes the ENT too.
        zone.removeName(name("deep.ent.example."))
        #expect(ZoneTests.ask(zone, "ent.example.", .a).rcode == .nxDomain)
        // Removing a name that still has children leaves it an empty non-terminal.
        zone.add(record("leaf.mid.example. 60 IN A 192.0.2.5"))
        zone.add(record("mid.example. 60 IN A 192.0.2.6"))
        zone.removeName(name("mid.example."))
        #expect(ZoneTests.ask(zone, "mid.example.", .a).isNoData)
    }

    @Test func outOfZoneIsRefused() throws {
        let zone = try ZoneTests.zone()
        let answer = ZoneTests.ask(zone, "kv.other.", .a)
        #expect(answer.rcode == .refused && answer.answers.isEmpty && answer.authority.isEmpty)
        #expect(ZoneTests.ask(zone, "example.", .soa).answers.count == 1)
    }

    @Test func responseToAQuery() throws {
        let zone = try ZoneTests.zone()
        let query = Message.query(id: 77, name: name("kv.example."), type: .aaaa)
        let response = zone.answer(query.questions[0]).response(to: query)
        #expect(response.header.id == 77)
        #expect(response.header.isResponse && response.header.authoritative && response.header.recursionDesired)
        #expect(!response.header.recursionAvailable)
        #expect(response.questions == query.questions)
        #expect(response.answers.count == 1)
        #expect(try WireDecoder.decode(try WireEncoder.encode(response)) == response)
    }

    @Test func addIsIdempotentAndChecksTheOrigin() throws {
        var zone = try ZoneTests.zone()
        let count = zone.records.count
        let duplicate = zone.add(record("kv.example. 60 IN A 192.0.2.10"))
        let outside = zone.add(record("kv.other. 60 IN A 192.0.2.10"))
        #expect(!duplicate && !outside)
        #expect(zone.records.count == count)
        let added = zone.add(record("new.example. 60 IN A 192.0.2.1"))
        #expect(added)
        #expect(ZoneTests.ask(zone, "new.example.", .a).answers.count == 1)
    }

    @Test(arguments: [
        ("kv.example. 60 IN A 192.0.2.1", "needs exactly one SOA record, has 0"),
        ("example. 60 IN SOA a. b. 1 2 3 4 5\nexample. 60 IN SOA c. d. 1 2 3 4 5", "has 2"),
        ("sub.example. 60 IN SOA a. b. 1 2 3 4 5", "owned by sub.example."),
        ("example. 60 IN SOA a. b. 1 2 3 4 5\nkv.other. 60 IN A 192.0.2.1", "kv.other. is outside the zone"),
        ("example. 60 IN SOA a. b. 1 2 3 4 5\nx 60 IN CNAME y\nx 60 IN A 192.0.2.1", "x.example. has a CNAME and other data"),
    ])
    func invalidZones(text: String, reason: String) {
        #expect {
            try Zone(origin: name("example."), zoneText: text)
        } throws: { error in
            guard case DNSModelError.invalidZone(_, let message, _) = error else { return false }
            return message.contains(reason)
        }
    }

    @Test func zoneTextErrorsCarryTheLine() {
        let text = "$TTL 60\n@ IN SOA a. b. 1 2 3 4 5\n\nkv IN A 999.0.0.1\n"
        #expect {
            try Zone(origin: name("example."), zoneText: text)
        } throws: { error in
            guard case DNSModelError.invalidZone(_, let message, let line) = error else { return false }
            return line == 4 && message.contains("'999.0.0.1' is not an IPv4 address")
        }
        #expect(throws: DNSModelError.self) { try Zone(origin: name("example."), zoneText: "$INCLUDE other\n") }
        #expect(throws: DNSModelError.self) { try Zone(origin: name("example."), zoneText: "@ 1 SOA a. b. ( 1 2 3 4 5\n") }
    }

    @Test func originDirectiveChangesRelativeNames() throws {
        let text = """
            $TTL 60
            @ IN SOA ns1 host 1 2 3 4 5
            $ORIGIN sub.example.
            kv IN A 192.0.2.1
            """
        let zone = try Zone(origin: name("example."), zoneText: text)
        #expect(zone.records(named: name("kv.sub.example."), type: .a).count == 1)
    }
}
