/// A fixed number of elements read at random (a million client instances), each in a cache line of its own: an
/// element of up to 64 bytes is stored at a multiple of the next power of two of its size, in a buffer aligned to
/// 64 bytes, so a read of one element never misses twice. A 48-byte element in an `Array` straddles two lines every
/// other time; here it takes 64 bytes. The buffer is advised for huge pages as ``LargeArray`` does.
///
/// Indices are not checked in release builds: the owner hands out only indices below ``count`` (a client fleet's
/// event codes carry its own instance numbers).
///
/// ```swift
/// let states = CacheLineArray(count: 1_000_000) { index in State(seed: index) }
/// states[42].counter += 1
/// cprefetch_read(states.address(of: 43))  // ahead of a read
/// ```
public final class CacheLineArray<Element> {
    /// The bytes between two elements: the element's stride rounded up to a power of two if it is at most a cache
    /// line, else to a multiple of one.
    @inlinable
    public static var spacing: Int {
        let stride = MemoryLayout<Element>.stride
        guard stride > 1 else { return 1 }
        guard stride > lineSize else { return 1 << (Int.bitWidth - (stride - 1).leadingZeroBitCount) }
        return (stride + lineSize - 1) / lineSize * lineSize
    }

    @inlinable static var lineSize: Int { 64 }

    public let count: Int
    @usableFromInline let base: UnsafeMutableRawPointer

    /// `count` elements made by `element(index)` in order.
    public init(count: Int, _ element: (Int) throws -> Element) rethrows {
        precondition(count >= 0, "a negative count")
        let bytes = max(1, count * Self.spacing)
        base = .allocate(byteCount: bytes, alignment: max(Self.lineSize, MemoryLayout<Element>.alignment))
        LargeArray.adviseHugePages(UnsafeMutableRawBufferPointer(start: base, count: bytes))
        var made = 0
        do {
            while made < count {
                (base + made * Self.spacing).initializeMemory(as: Element.self, to: try element(made))
                made += 1
            }
        } catch {
            for index in 0..<made { (base + index * Self.spacing).assumingMemoryBound(to: Element.self).deinitialize(count: 1) }
            base.deallocate()
            throw error
        }
        self.count = count
    }

    deinit {
        for index in 0..<count { element(index).deinitialize(count: 1) }
        base.deallocate()
    }

    @inlinable @inline(__always)
    func element(_ index: Int) -> UnsafeMutablePointer<Element> {
        assert(index >= 0 && index < count, "index \(index) out of 0..<\(count)")
        return (base + index &* Self.spacing).assumingMemoryBound(to: Element.self)
    }

    /// Element `index`, read and changed in place.
    @inlinable
    public subscript(index: Int) -> Element {
        @inline(__always) unsafeAddress { UnsafePointer(element(index)) }
        @inline(__always) unsafeMutableAddress { element(index) }
    }

    /// Where element `index` is (any index: for a prefetch hint ahead of a read, which never faults).
    @inlinable @inline(__always)
    public func address(of index: Int) -> UnsafeRawPointer {
        UnsafeRawPointer(base + index &* Self.spacing)
    }
}
