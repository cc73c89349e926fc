import Testing

@testable import WorldModel

@Suite("Component states")
struct ComponentStatesTests {
    final class Counter {
        let name: String
        var count = 0
        init(_ name: String) { self.name = name }
    }

    @Test("every component finds its own state, with more components than cache slots, interleaved")
    func findsEachComponentsOwnState() {
        var states = ComponentStates<Counter>()
        // 300 ids: several share each home slot of the 64-slot cache, and most do not fit in it at once.
        let ids = (0..<300).map { ComponentID($0.isMultiple(of: 2) ? .client : .resolver, "c\($0)") }
        for id in ids { states[id] = Counter(id.description) }
        for _ in 0..<3 {
            for id in ids {
                let state = states.find(id)?.takeUnretainedValue()
                #expect(state?.name == id.description)
                state?.count += 1
            }
        }
        #expect(ids.allSatisfy { states[$0]?.count == 3 })
        #expect(states.find(ComponentID(.client, "unknown")) == nil)
    }

    @Test("replacing a state is seen by the next lookup, even when the old one was cached")
    func replacingDropsTheCachedEntry() {
        var states = ComponentStates<Counter>()
        let id = ComponentID(.client, "web")
        states[id] = Counter("old")
        #expect(states.find(id)?.takeUnretainedValue().name == "old")
        states[id] = Counter("new")
        #expect(states.find(id)?.takeUnretainedValue().name == "new")
        states[id] = nil
        #expect(states.find(id) == nil)
    }
}
