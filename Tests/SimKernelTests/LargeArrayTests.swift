import SimKernel
import Testing

/// Huge-page advice changes no contents.
@Suite struct LargeArrayTests {
    @Test func adviceOnAnyBufferIsHarmless() {
        LargeArray.adviseHugePages(UnsafeMutableRawBufferPointer(start: nil, count: 0))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: LargeArray.threshold + 12_345, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 7)
        LargeArray.adviseHugePages(buffer)
        #expect(buffer.allSatisfy { $0 == 7 })
    }

    @Test func aGrownBufferKeepsWhatItHeldAndMakesRoom() {
        var buffer = UnsafeMutablePointer<String>.allocate(capacity: 3)
        buffer.initialize(from: ["a", "b", "c"], count: 3)
        LargeArray.grow(&buffer, moving: 3, to: LargeArray.threshold / MemoryLayout<String>.stride + 1)
        (buffer + 3).initialize(to: "d")
        #expect(Array(UnsafeBufferPointer(start: buffer, count: 4)) == ["a", "b", "c", "d"])
        buffer.deinitialize(count: 4)
        buffer.deallocate()
    }
}
