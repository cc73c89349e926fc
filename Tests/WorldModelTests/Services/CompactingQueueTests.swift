import SimKernel
import Testing

@testable import WorldModel

/// The services' FIFO, against an array: single and batch pops, through several compactions.
@Suite("Compacting queue")
struct CompactingQueueTests {
    @Test func popsInAppendOrderThroughCompactions() {
        var queue = CompactingQueue<Int>()
        var model: [Int] = []
        var rng = RandomStream(seed: 3, label: "compacting-queue")
        var next = 0
        var popped = 0
        for _ in 0..<20_000 {
            if model.isEmpty || rng.bernoulli(0.55) {
                queue.append(next)
                model.append(next)
                next += 1
            } else if rng.bernoulli(0.5) {
                #expect(queue.popFirst() == model.removeFirst())
                popped += 1
            } else {
                let n = Int(rng.below(UInt64(model.count) + 1))
                #expect(queue.popFirst(n) == Array(model.prefix(n)))
                model.removeFirst(n)
                popped += n
            }
            #expect(queue.count == model.count && queue.first == model.first && queue.isEmpty == model.isEmpty)
        }
        #expect(popped > 2_048)  // past the compaction threshold more than once
        #expect(queue.removeAll() == model)
        #expect(queue.isEmpty && queue.popFirst() == nil && queue.popFirst(0).isEmpty)
    }
}
