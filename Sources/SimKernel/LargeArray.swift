#if canImport(Glibc)
    import Glibc
#endif

/// Large buffers that a simulation reads at random (a million client instances in a ``CacheLineArray``, a million
/// pending events' slots, the event queue's bucket chunks): advised for 2 MiB transparent huge pages where the system
/// offers them (Linux, `madvise`), so that a random read costs at most a cache miss, not also a walk of the page
/// tables, which is dear in a virtual machine; and grown by doubling (``grow(_:moving:to:)``), advised as they grow.
/// Elsewhere, and for small buffers, the advice changes nothing. Advice only: the contents and every result are the
/// same either way.
///
/// ```swift
/// let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 20, alignment: 64)
/// LargeArray.adviseHugePages(buffer)  // before it is first written
/// ```
public enum LargeArray {
    /// Below this size a buffer keeps ordinary pages (its few page-table entries stay cached anyway).
    public static let threshold = 4 << 20

    /// Advises huge pages for the whole 2 MiB pages inside `buffer`, if it is at least ``threshold`` bytes long.
    public static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
            guard buffer.count >= threshold, let base = buffer.baseAddress else { return }
            let page = 2 << 20
            let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
            let end = (Int(bitPattern: base) + buffer.count) & ~(page - 1)
            guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// Moves the first `count` elements of `buffer` into a new buffer with room for `capacity`, advised for huge pages
    /// (when it is that large) before it is written, and frees the old one: how the engine's and the models' growable
    /// buffers (slot pools, bucket chunks, queries in flight) double.
    public static func grow<Element>(_ buffer: inout UnsafeMutablePointer<Element>, moving count: Int, to capacity: Int) {
        precondition(count <= capacity, "a buffer grown smaller than what it holds")
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        adviseHugePages(UnsafeMutableRawBufferPointer(start: grown, count: capacity * MemoryLayout<Element>.stride))
        grown.moveInitialize(from: buffer, count: count)
        buffer.deallocate()
        buffer = grown
    }
}
