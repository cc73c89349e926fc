import DNSModel
import Testing

@testable import WorldModel

/// Cache keys hash without a `Hasher` (the name's digest, with the type mixed into the collection's seed).
@Suite("Cache keys")
struct CacheKeyTests {
    @Test("keys of one name and different types are different entries; a key is found under any spelling")
    func typesAreDistinctAndCaseIsNot() throws {
        let types: [RecordType] = [.a, .aaaa, .cname, .txt, .ns, .soa]
        var table: [CacheKey: String] = [:]
        for index in 0..<300 {
            let name = try DomainName("svc-\(index).example.")
            for type in types { table[CacheKey(name: name, type: type)] = "\(index) \(type)" }
        }
        #expect(table.count == 300 * types.count)
        for index in stride(from: 0, to: 300, by: 7) {
            let name = try DomainName("SVC-\(index).Example.")
            for type in types { #expect(table[CacheKey(name: name, type: type)] == "\(index) \(type)") }
        }
        let key = CacheKey(name: try DomainName("svc-1.example."), type: .a)
        #expect(key._rawHashValue(seed: 5) != CacheKey(name: key.name, type: .aaaa)._rawHashValue(seed: 5))
        #expect(key._rawHashValue(seed: 5) == CacheKey(name: try DomainName("SVC-1.example"), type: .a)._rawHashValue(seed: 5))
    }
}
