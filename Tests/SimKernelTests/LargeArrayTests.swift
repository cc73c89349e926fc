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
}
