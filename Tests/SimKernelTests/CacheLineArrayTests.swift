import SimKernel
import Testing

/// Elements each in a cache line of their own: where they are, what they hold, and that they are released.
@Suite struct CacheLineArrayTests {
    private struct FortyEight {
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    }

    @Test("spacing: a power of two up to a line, whole lines beyond")
    func spacesElementsByLines() {
        #expect(MemoryLayout<FortyEight>.stride == 48)
        #expect(CacheLineArray<FortyEight>.spacing == 64)
        #expect(CacheLineArray<UInt8>.spacing == 1)
        #expect(CacheLineArray<(UInt64, UInt8)>.spacing == 16)
        #expect(CacheLineArray<(UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt8)>.spacing == 128)
    }

    @Test("no element straddles two cache lines")
    func keepsEachElementInOneLine() {
        let array = CacheLineArray(count: 1_000) { FortyEight(words: (UInt64($0), 0, 0, 0, 0, 0)) }
        for index in 0..<array.count {
            let start = Int(bitPattern: array.address(of: index))
            #expect(start / 64 == (start + MemoryLayout<FortyEight>.size - 1) / 64, "element \(index) straddles")
        }
    }

    @Test("elements hold what they were made with and change in place, large arrays included")
    func holdsAndChangesElements() {
        let count = 2 * LargeArray.threshold / 64 + 3
        let array = CacheLineArray(count: count) { FortyEight(words: (UInt64($0), 1, 2, 3, 4, UInt64($0) * 3)) }
        for index in stride(from: 0, to: count, by: 7) { array[index].words.1 += UInt64(index) }
        #expect(array.count == count)
        #expect(
            (0..<count).allSatisfy { index in
                let words = array[index].words
                return words.0 == UInt64(index) && words.1 == 1 + (index % 7 == 0 ? UInt64(index) : 0)
                    && words.5 == UInt64(index) * 3
            })
        #expect(CacheLineArray(count: 0) { $0 }.count == 0)
    }

    @Test("elements are released with the array, and those made before a throw at once")
    func releasesElements() {
        struct Refused: Error {}
        final class Counted {
            nonisolated(unsafe) static var alive = 0
            init() { Counted.alive += 1 }
            deinit { Counted.alive -= 1 }
        }
        #expect(throws: Refused.self) {
            _ = try CacheLineArray(count: 10) { index -> Counted in
                if index == 4 { throw Refused() }
                return Counted()
            }
        }
        #expect(Counted.alive == 0)
        do {
            let array = CacheLineArray(count: 6) { _ in Counted() }
            #expect(Counted.alive == 6)
            _ = array
        }
        #expect(Counted.alive == 0)
    }
}
