import Testing

@testable import WorldModel

/// Component identities are interned: one shared entry per `kind/name`, however and wherever it is made.
@Suite("Component IDs")
struct ComponentIDTests {
    @Test("the same kind and name made twice are equal, hash alike and read back; a different kind or name is not")
    func sameKindAndNameAreOneIdentity() throws {
        let built = "isp-" + String(1)
        let first = ComponentID(.resolver, built)
        let second = ComponentID(.resolver, "isp-1")
        let parsed = try #require(ComponentID(parsing: "resolver/isp-1"))
        #expect(first == second && second == parsed)
        #expect(first.hashValue == second.hashValue && first.fingerprint == parsed.fingerprint)
        #expect(first.kind == .resolver && first.name == "isp-1" && first.description == "resolver/isp-1")
        #expect(first != ComponentID(.client, "isp-1"))
        #expect(first != ComponentID(.resolver, "isp-2"))
        #expect(Set([first, second, parsed, ComponentID(.client, "isp-1")]).count == 2)
        #expect(ComponentID(.client, "b") < ComponentID(.client, "c") && ComponentID(.authority, "z") < ComponentID(.client, "a"))
        // One word: copies carry a reference to the shared entry, nothing else.
        #expect(MemoryLayout<ComponentID>.size == MemoryLayout<Int>.size)
    }

    @Test("identities made on many threads at once are the same identities")
    func internedAcrossThreads() async {
        let names = (0..<200).map { "concurrent-\($0)" }
        let made = await withTaskGroup(of: [ComponentID].self) { group in
            for _ in 0..<8 {
                group.addTask { names.shuffled().map { ComponentID(.service, $0) }.sorted() }
            }
            var all: [[ComponentID]] = []
            for await ids in group { all.append(ids) }
            return all
        }
        let expected = names.map { ComponentID(.service, $0) }.sorted()
        #expect(made.count == 8 && made.allSatisfy { $0 == expected })
        #expect(Set(made.joined()).count == 200)
    }
}
