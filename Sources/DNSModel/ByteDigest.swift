/// A fast, unseeded 64-bit digest of a byte string, for hash tables keyed by wire bytes.
///
/// `Hasher.combine(bytes:)` runs SipHash over every byte; hashing a name or a reply that way costs several
/// instructions per byte at every table lookup. A key type instead computes this digest once (a multiply and a shift
/// per eight bytes) and feeds only the digest to its `Hasher`, which still seeds and finalizes it, so tables keep
/// their per-process hash seed. Equal bytes give equal digests; it is not a cryptographic hash.
///
/// ```swift
/// let digest = [UInt8]("kv.example".utf8).withUnsafeBytes { ByteDigest.of($0) }
/// ```
public enum ByteDigest {
    @usableFromInline static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The digest of `bytes`; the length is mixed in, so a prefix differs from the whole.
    @inlinable
    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var state = UInt64(truncatingIfNeeded: count) &* multiplier
        guard let base = bytes.baseAddress else { return state ^ (state >> 29) }
        var offset = 0
        while offset &+ 8 <= count {
            state = mix(state, base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset &+= 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << shift
                shift &+= 8
                offset &+= 1
            }
            state = mix(state, tail)
        }
        return state ^ (state >> 29)
    }

    @inlinable
    static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let product = (state ^ word) &* multiplier
        return product ^ (product >> 32)
    }
}
