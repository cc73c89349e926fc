/// A recorder's per-component state objects, found by component ID once per event.
///
/// A run interleaves the events of many clients and resolvers, so a "last one asked" shortcut misses most of the time
/// and a dictionary lookup (seeding, hashing and finalizing a `Hasher`) costs more than the counting it leads to. A
/// direct-mapped cache on the ID's fingerprint answers nearly every lookup with one comparison; the dictionary holds
/// every state and fills the cache on a miss.
///
/// ```swift
/// var states = ComponentStates<Counter>()
/// states[ComponentID(.client, "web")] = Counter()
/// states.find(ComponentID(.client, "web"))?.count += 1
/// ```
struct ComponentStates<State: AnyObject> {
    private static var cacheSize: Int { 64 }
    private var states: [ComponentID: State] = [:]
    private var cache: [(id: ComponentID, state: State)?] = Array(repeating: nil, count: cacheSize)

    /// The state of `id`, if it has one.
    mutating func find(_ id: ComponentID) -> State? {
        let slot = Int(truncatingIfNeeded: id.fingerprint) & (Self.cacheSize - 1)
        if let entry = cache[slot], entry.id == id { return entry.state }
        guard let state = states[id] else { return nil }
        cache[slot] = (id, state)
        return state
    }

    /// Reads or sets a state through the dictionary (setting drops any cached entry of `id`).
    subscript(id: ComponentID) -> State? {
        get { states[id] }
        set {
            states[id] = newValue
            let slot = Int(truncatingIfNeeded: id.fingerprint) & (Self.cacheSize - 1)
            if cache[slot]?.id == id { cache[slot] = nil }
        }
    }
}
