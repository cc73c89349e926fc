#if canImport(Glibc)
    import Glibc
#endif

/// Advice for large buffers that a simulation reads at random (a million client instances in a ``CacheLineArray``, a
/// million pending events' slots, the event queue's bucket chunks): backed by 2 MiB transparent huge pages where the
/// system offers them (Linux, `madvise`), a random read costs at most a cache miss, not also a walk of the page
/// tables, which is dear in a virtual machine. Elsewhere, and for small buffers, nothing changes. Advice only: the
/// contents and every result are the same either way.
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
}
