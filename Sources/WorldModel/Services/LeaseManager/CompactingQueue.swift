/// A first-in first-out queue over one array: taking from the front moves a head index, and the taken prefix is
/// dropped once it is both long (1,024 elements) and at least half the storage, so each operation is O(1) amortized
/// and the storage stays at most about twice the queue.
///
/// ```swift
/// var queue = CompactingQueue<Int>()
/// queue.append(1); queue.append(2)
/// queue.popFirst()   // 1
/// queue.first        // 2
/// ```
struct CompactingQueue<Element> {
    private var storage: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }
    /// The front element, if any.
    var first: Element? { head < storage.count ? storage[head] : nil }

    mutating func reserveCapacity(_ capacity: Int) { storage.reserveCapacity(capacity) }

    mutating func append(_ element: Element) { storage.append(element) }

    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1_024, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Removes and returns every element, front first.
    mutating func removeAll() -> [Element] {
        let elements = Array(storage[head...])
        storage.removeAll()
        head = 0
        return elements
    }
}
