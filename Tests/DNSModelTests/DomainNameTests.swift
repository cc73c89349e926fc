import Testing

@testable import DNSModel

@Suite struct DomainNameTests {
    @Test func parsesAbsoluteAndRelativeSpellingsAlike() throws {
        let dotted = try DomainName("kv.example.")
        let plain = try DomainName("kv.example")
        #expect(dotted == plain)
        #expect(dotted.labels == ["kv", "example"])
        #expect(dotted.description == "kv.example.")
        #expect(dotted.wireLength == 12)
    }

    @Test func keepsCaseButComparesCaseInsensitively() throws {
        let upper = try DomainName("Kv.Example.")
        let lower = try DomainName("kv.example.")
        #expect(upper.description == "Kv.Example.")
        #expect(upper.labels == ["Kv", "Example"])
        #expect(upper == lower)
        #expect(upper.hashValue == lower.hashValue)
        #expect(!(upper < lower) && !(lower < upper))
        #expect(Set([upper, lower]).count == 1)
    }

    /// Dictionaries and sets hash names with `_rawHashValue(seed:)` (the digest mixed with the collection's seed):
    /// every name of a thousand is found again under another spelling, and the seed changes the hash.
    @Test func namesAreFoundInDictionariesWhateverTheirCase() throws {
        var table: [DomainName: Int] = [:]
        for index in 0..<1_000 { table[try DomainName("host-\(index).zone-\(index % 7).example.")] = index }
        #expect(table.count == 1_000)
        for index in 0..<1_000 {
            #expect(table[try DomainName("HOST-\(index).Zone-\(index % 7).EXAMPLE")] == index)
        }
        #expect(table[try DomainName("host-1000.zone-6.example.")] == nil)
        let name = try DomainName("kv.example.")
        #expect(name._rawHashValue(seed: 1) == (try DomainName("KV.example."))._rawHashValue(seed: 1))
        #expect(name._rawHashValue(seed: 1) != name._rawHashValue(seed: 2))
    }

    @Test func rootName() throws {
        #expect(try DomainName(".") == .root)
        #expect(DomainName.root.description == ".")
        #expect(DomainName.root.labels.isEmpty)
        #expect(DomainName.root.parent == nil)
        #expect(try DomainName("example.").parent == .root)
        #expect(try DomainName(labels: []) == .root)
    }

    @Test(arguments: [
        ("", "empty name"),
        ("..", "label 1 is empty"),
        ("a..b", "label 2 is empty"),
        (".a", "label 1 is empty"),
        ("a b.example", "contains ' '"),
        ("kv.exa$mple", "contains '$'"),
        ("a*.example", "contains '*'"),
        (String(repeating: "a", count: 64) + ".example", "longer than 63 bytes"),
        (Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: "."), "longer than 255 bytes"),
    ])
    func rejectsInvalidNames(text: String, reason: String) {
        #expect {
            try DomainName(text)
        } throws: { error in
            guard case DNSModelError.invalidName(let given, let message) = error else { return false }
            return given == text && message.contains(reason)
        }
    }

    @Test func acceptsEdgeNames() throws {
        #expect(try DomainName("*.example.").labels == ["*", "example"])
        #expect(try DomainName("_dns._tcp.example").labels.count == 3)
        let longest =
            Array(repeating: String(repeating: "a", count: 63), count: 3).joined(separator: ".") + "."
            + String(repeating: "b", count: 61)
        #expect(try DomainName(longest).wireLength == 255)
    }

    @Test func subdomains() throws {
        let kv = try DomainName("kv.example.")
        let example = try DomainName("EXAMPLE.")
        #expect(kv.isSubdomain(of: example))
        #expect(kv.isSubdomain(of: kv))
        #expect(kv.isSubdomain(of: .root))
        #expect(!example.isSubdomain(of: kv))
        #expect(!(try DomainName("kv.xexample.")).isSubdomain(of: example))
        #expect(!(try DomainName("example.com.")).isSubdomain(of: example))
        #expect(try DomainName("a.b.c.example.").isSubdomain(of: try DomainName("c.example")))
    }

    @Test func canonicalOrderFollowsRFC4034() throws {
        // The example list of RFC 4034 §6.1, restricted to characters DomainName accepts.
        let ordered = [
            "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.", "z.example.", "*.z.example.",
        ]
        .map(name)
        var rng = SplitMix(seed: 7)
        for _ in 0..<20 {
            #expect(ordered.shuffled(using: &rng).sorted() == ordered)
        }
        #expect(ordered.reversed().sorted() == ordered)
        for index in 1..<ordered.count {
            #expect(ordered[index - 1] < ordered[index])
        }
    }

    @Test func prependingAndLabelInit() throws {
        #expect(try DomainName("example.").prepending("www") == (try DomainName("www.example.")))
        #expect(try DomainName.root.prepending("com") == (try DomainName("com.")))
        #expect(try DomainName(labels: ["kv", "example"]) == (try DomainName("kv.example.")))
        #expect(throws: DNSModelError.self) { try DomainName(labels: ["a.b"]) }
    }

    @Test func spellingComparesCaseWhereEqualityIgnoresIt() throws {
        let lower = try DomainName("kv.example.")
        let mixed = try DomainName("Kv.Example.")
        #expect(lower == mixed)
        #expect(!lower.isSpelledLike(mixed))
        #expect(lower.isSpelledLike(try DomainName("kv.example")))
        #expect(!lower.isSpelledLike(try DomainName("kw.example.")))
    }
}
