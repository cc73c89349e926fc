import SimKernel
import Testing

/// Arrays advised for huge pages hold what they were made with, large or small.
@Suite struct LargeArrayTests {
    @Test func aSmallArrayHoldsItsElementsInOrder() {
        #expect(LargeArray.make(count: 5) { $0 * $0 } == [0, 1, 4, 9, 16])
        #expect(LargeArray.make(count: 0) { $0 }.isEmpty)
    }

    @Test func anArrayAboveTheThresholdHoldsItsElementsInOrder() {
        let count = 2 * LargeArray.threshold / MemoryLayout<UInt64>.stride + 3
        let array = LargeArray.make(count: count) { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        #expect(array.count == count)
        #expect(array.indices.allSatisfy { array[$0] == UInt64($0) &* 0x9E37_79B9_7F4A_7C15 })
    }

    @Test func anElementThatThrowsStopsTheArray() {
        struct Refused: Error {}
        final class Counted {
            nonisolated(unsafe) static var alive = 0
            init() { Counted.alive += 1 }
            deinit { Counted.alive -= 1 }
        }
        #expect(throws: Refused.self) {
            _ = try LargeArray.make(count: 10) { index -> Counted in
                if index == 4 { throw Refused() }
                return Counted()
            }
        }
        #expect(Counted.alive == 0)  // the four made are released
    }

    @Test func adviceOnAnyBufferIsHarmless() {
        LargeArray.adviseHugePages(UnsafeMutableRawBufferPointer(start: nil, count: 0))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: LargeArray.threshold + 12_345, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 7)
        LargeArray.adviseHugePages(buffer)
        #expect(buffer.allSatisfy { $0 == 7 })
    }
}
