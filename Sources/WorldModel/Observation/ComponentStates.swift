/// A recorder's per-component state objects, found by component ID once per event.
///
/// A run interleaves the events of many clients and resolvers, so a "last one asked" shortcut misses most of the time
/// and a dictionary lookup (seeding, hashing and finalizing a `Hasher`) costs more than the counting it leads to. A
/// small cache indexed by the ID's fingerprint (each ID may sit in one of four slots from its home slot) answers
/// nearly every lookup with a comparison or two; the dictionary holds every state and fills the cache on a miss.
///
/// `find` returns the state unretained (the table holds it): a recorder calls it twice per lookup, and retaining and
/// releasing the state was a tenth of what observing a lookup cost. It stays valid while the table holds the state;
/// replace a state only where no found reference is in use.
///
/// ```swift
/// var states = ComponentStates<Counter>()
/// states[ComponentID(.client, "web")] = Counter()
/// states.find(ComponentID(.client, "web"))?._withUnsafeGuaranteedRef { $0.count += 1 }
/// ```
struct ComponentStates<State: AnyObject> {
    private static var cacheSize: Int { 64 }
    /// Slots a component may occupy, from its home slot on: a few components that share a home slot do not evict
    /// each other at every event.
    private static var ways: Int { 4 }
    private var states: [ComponentID: State] = [:]
    private var cache: [(id: ComponentID, state: Unmanaged<State>)?] = Array(repeating: nil, count: cacheSize)

    /// The state of `id`, if it has one, unretained: valid while the table holds it.
    mutating func find(_ id: ComponentID) -> Unmanaged<State>? {
        let home = Int(truncatingIfNeeded: id.fingerprint) & (Self.cacheSize - 1)
        var free: Int?
        for way in 0..<Self.ways {
            let slot = (home + way) & (Self.cacheSize - 1)
            guard let entry = cache[slot] else {
                if free == nil { free = slot }
                continue
            }
            if entry.id == id { return entry.state }
        }
        guard let state = states[id] else { return nil }
        let unretained = Unmanaged.passUnretained(state)
        cache[free ?? home] = (id, unretained)
        return unretained
    }

    /// Reads or sets a state through the dictionary (setting drops any cached entry of `id`).
    subscript(id: ComponentID) -> State? {
        get { states[id] }
        set {
            states[id] = newValue
            let home = Int(truncatingIfNeeded: id.fingerprint) & (Self.cacheSize - 1)
            for way in 0..<Self.ways where cache[(home + way) & (Self.cacheSize - 1)]?.id == id {
                cache[(home + way) & (Self.cacheSize - 1)] = nil
            }
        }
    }
}
