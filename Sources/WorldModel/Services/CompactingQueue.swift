/// A first-in first-out queue over one array: taking from the front moves a head index, and the taken prefix is
/// dropped once it is both long (1,024 elements) and at least half the storage, so each operation is O(1) amortized
/// and the storage stays at most about twice the queue. The services' queues use it (the lease manager's jobs and
/// lease expiries, the propagation queue's waiting instances).
///
/// ```swift
/// var queue = CompactingQueue<Int>()
/// queue.append(1); queue.append(2); queue.append(3)
/// queue.popFirst()    // 1
/// queue.popFirst(2)   // [2, 3]
/// ```
struct CompactingQueue<Element> {
    private var storage: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }
    var count: Int { storage.count - head }
    /// The front element, if any.
    var first: Element? { head < storage.count ? storage[head] : nil }

    mutating func reserveCapacity(_ capacity: Int) { storage.reserveCapacity(capacity) }

    mutating func append(_ element: Element) { storage.append(element) }

    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        compact()
        return element
    }

    /// Removes and returns the first `n` elements, front first; `n` must be at most ``count``.
    mutating func popFirst(_ n: Int) -> [Element] {
        precondition(n >= 0 && n <= count, "popFirst(\(n)) from a queue of \(count)")
        let elements = Array(storage[head..<(head + n)])
        head += n
        compact()
        return elements
    }

    /// Removes and returns every element, front first.
    mutating func removeAll() -> [Element] {
        let elements = Array(storage[head...])
        storage.removeAll()
        head = 0
        return elements
    }

    /// Drops the taken prefix when the queue is empty, or when the prefix is long and at least half the storage.
    private mutating func compact() {
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1_024, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }
}
