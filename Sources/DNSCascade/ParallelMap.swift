import Dispatch
import Synchronization

/// Runs independent jobs on several threads and returns their results in job order, whatever order they finish in,
/// so the output does not depend on the number of workers.
enum ParallelMap {
    /// `transform(i)` for every `i` in `0..<count`, on up to `workers` threads. `onResult` (if any) is called, under a
    /// lock, as each job finishes — in completion order.
    static func map<T: Sendable>(
        count: Int, workers: Int, transform: @Sendable (Int) -> T, onResult: (@Sendable (Int, T) -> Void)? = nil
    ) -> [T] {
        guard count > 0 else { return [] }
        let slots = Mutex<[T?]>(Array(repeating: nil, count: count))
        let next = Atomic<Int>(0)
        let threads = max(1, min(workers, count))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                let value = transform(index)
                slots.withLock { slots in
                    slots[index] = value
                    onResult?(index, value)
                }
            }
        }
        return slots.withLock { $0.map { $0! } }
    }
}
