/// An absolute domain name, such as `kv.example.`.
///
/// Names keep the case they were written in (``labels``, ``description``) but compare, hash and
/// sort case-insensitively (ASCII only), as DNS requires. The lower-cased wire form and its digest are stored once,
/// so `==`, `hash(into:)` and `<` never allocate. A name is one reference to immutable storage: copying it (into a
/// question, a cache key, a record, an event) costs one retain.
///
/// Labels are 1...63 bytes of letters, digits, `-` and `_`, or a lone `*` (a wildcard label); the
/// whole name is at most 255 bytes in wire form.
///
/// Ordering is the canonical DNS order of RFC 4034 §6.1: names are compared label by label from
/// the right (the most significant label first), each label as lower-cased bytes, and a name
/// sorts before its subdomains (`example.` < `a.example.` < `b.a.example.` < `z.example.`).
///
/// ```swift
/// let name = try DomainName("Kv.Example")
/// name.description                                  // "Kv.Example."
/// name == (try DomainName("kv.example."))            // true
/// name.isSubdomain(of: try DomainName("example."))   // true
/// ```
public struct DomainName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// A name's bytes, shared by its copies.
    final class Storage: Sendable {
        /// The wire form in its original case: length-prefixed labels ending with a zero byte.
        let wire: [UInt8]
        /// The wire form with ASCII letters lower-cased; equality, hashing and order use this.
        let lower: [UInt8]
        /// ``ByteDigest`` of `lower`: hashing a name feeds only this to the `Hasher`, and `==` compares it before
        /// the bytes.
        let digest: UInt64

        init(wire: [UInt8], lower: [UInt8]) {
            self.wire = wire
            self.lower = lower
            self.digest = lower.withUnsafeBytes { ByteDigest.of($0) }
        }
    }

    let storage: Storage

    /// The wire form in its original case.
    var wire: [UInt8] { storage.wire }
    /// The lower-cased wire form.
    var lower: [UInt8] { storage.lower }

    /// The root name, `.`.
    public static let root = DomainName(uncheckedWire: [0])

    /// Parses a name in text form: `kv.example.` or `kv.example` (both absolute), `.` for the root.
    public init(_ text: String) throws(DNSModelError) {
        if text == "." {
            self = .root
            return
        }
        var utf8 = Array(text.utf8)
        if utf8.last == UInt8(ascii: ".") { utf8.removeLast() }
        if utf8.isEmpty { throw .invalidName(text, reason: "empty name") }
        var wire: [UInt8] = []
        wire.reserveCapacity(utf8.count + 2)
        var start = 0
        var labelIndex = 0
        while start <= utf8.count {
            var end = start
            while end < utf8.count && utf8[end] != UInt8(ascii: ".") { end += 1 }
            labelIndex += 1
            try DomainName.checkLabel(utf8[start..<end], index: labelIndex, text: text)
            wire.append(UInt8(end - start))
            wire.append(contentsOf: utf8[start..<end])
            start = end + 1
        }
        wire.append(0)
        if wire.count > 255 {
            throw .invalidName(text, reason: "longer than 255 bytes in wire form (\(wire.count))")
        }
        self.init(uncheckedWire: wire)
    }

    /// Builds a name from its labels, most specific first (`["kv", "example"]`); `[]` is the root.
    public init(labels: [String]) throws(DNSModelError) {
        if labels.isEmpty {
            self = .root
            return
        }
        for label in labels where label.isEmpty || label.utf8.contains(UInt8(ascii: ".")) {
            throw .invalidName(labels.joined(separator: "."), reason: "label \"\(label)\" is empty or contains a dot")
        }
        try self.init(labels.joined(separator: "."))
    }

    /// A name from a wire form already known to be valid (labels checked, terminated, ≤ 255 bytes).
    init(uncheckedWire wire: [UInt8]) {
        var lower = wire
        var changed = false
        for index in lower.indices where lower[index] >= 0x41 && lower[index] <= 0x5A {
            // Length bytes are ≤ 63 (0x3F), so only label characters are in 'A'...'Z'.
            lower[index] |= 0x20
            changed = true
        }
        self.storage = Storage(wire: wire, lower: changed ? lower : wire)
    }

    static func checkLabel(_ label: ArraySlice<UInt8>, index: Int, text: String) throws(DNSModelError) {
        if label.isEmpty {
            throw .invalidName(text, reason: "label \(index) is empty")
        }
        if label.count > 63 {
            throw .invalidName(text, reason: "label \(index) is longer than 63 bytes (\(label.count))")
        }
        if label.count == 1 && label.first == UInt8(ascii: "*") { return }
        for byte in label where !DomainName.isLabelByte(byte) {
            let shown = byte < 0x80 ? String(UnicodeScalar(byte)) : "byte \(byte)"
            throw .invalidName(
                text,
                reason: "label \(index) contains '\(shown)' (allowed: letters, digits, '-', '_', or a lone '*')")
        }
    }

    @inline(__always)
    static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// The labels in their original case, most specific first; empty for the root.
    public var labels: [String] {
        var result: [String] = []
        var index = 0
        while wire[index] != 0 {
            let length = Int(wire[index])
            result.append(String(decoding: wire[(index + 1)...(index + length)], as: UTF8.self))
            index += length + 1
        }
        return result
    }

    /// The number of labels (0 for the root).
    public var labelCount: Int {
        var count = 0
        var index = 0
        while wire[index] != 0 {
            count += 1
            index += Int(wire[index]) + 1
        }
        return count
    }

    /// The length of the name in uncompressed wire form (1 for the root, at most 255).
    public var wireLength: Int { wire.count }

    /// Whether this is the root name.
    public var isRoot: Bool { wire.count == 1 }

    /// The text form with a trailing dot, in the original case: `"Kv.Example."`; `"."` for the root.
    public var description: String {
        if isRoot { return "." }
        var text: [UInt8] = []
        text.reserveCapacity(wire.count)
        var index = 0
        while wire[index] != 0 {
            let length = Int(wire[index])
            text.append(contentsOf: wire[(index + 1)...(index + length)])
            text.append(UInt8(ascii: "."))
            index += length + 1
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The name with its first label removed; `nil` for the root.
    public var parent: DomainName? {
        if isRoot { return nil }
        return DomainName(uncheckedWire: Array(wire[(Int(wire[0]) + 1)...]))
    }

    /// This name with `label` prepended (`www` + `example.` → `www.example.`).
    public func prepending(_ label: String) throws(DNSModelError) -> DomainName {
        if isRoot { return try DomainName(label) }
        return try DomainName(label + "." + description)
    }

    /// Whether this name is `other` or below it (case-insensitive). Every name is a subdomain of the root.
    public func isSubdomain(of other: DomainName) -> Bool {
        let extra = lower.count - other.lower.count
        if extra < 0 { return false }
        var index = 0
        while index < extra {
            index += Int(lower[index]) + 1
        }
        if index != extra { return false }
        return lower.withUnsafeBufferPointer { mine in
            other.lower.withUnsafeBufferPointer { theirs in
                var offset = 0
                while offset < theirs.count {
                    if mine[extra + offset] != theirs[offset] { return false }
                    offset += 1
                }
                return true
            }
        }
    }

    /// Whether the two names are spelled the same, case included (`==` ignores case). Replies echo the
    /// question as it was asked, so two questions give the same reply bytes only if their names are spelled alike.
    public func isSpelledLike(_ other: DomainName) -> Bool {
        wire == other.wire
    }

    public static func == (lhs: DomainName, rhs: DomainName) -> Bool {
        lhs.storage === rhs.storage || (lhs.storage.digest == rhs.storage.digest && lhs.lower == rhs.lower)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.digest)
    }

    /// The hash a `Dictionary` or `Set` keyed by names uses, computed without a `Hasher`: the digest is already a
    /// well-mixed 64-bit hash, and seeding, feeding and finalizing a `Hasher` costs more than a resolver's whole cache
    /// lookup. Mixes in the collection's seed, as the standard one does.
    public func _rawHashValue(seed: Int) -> Int {
        Int(truncatingIfNeeded: ByteDigest.mix(UInt64(UInt(bitPattern: seed)), storage.digest))
    }

    /// Canonical DNS order (RFC 4034 §6.1), case-insensitive.
    public static func < (lhs: DomainName, rhs: DomainName) -> Bool {
        DomainName.canonicalCompare(lhs.lower, rhs.lower) < 0
    }

    /// -1, 0 or 1 comparing two lower-cased wire forms in canonical order; does not allocate on the heap.
    static func canonicalCompare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { offsets in
                    // offsets[0..<128] for the left labels, offsets[128..<256] for the right ones.
                    var leftCount = 0
                    var index = 0
                    while left[index] != 0 {
                        offsets[leftCount] = UInt8(index)
                        leftCount += 1
                        index += Int(left[index]) + 1
                    }
                    var rightCount = 0
                    index = 0
                    while right[index] != 0 {
                        offsets[128 + rightCount] = UInt8(index)
                        rightCount += 1
                        index += Int(right[index]) + 1
                    }
                    var l = leftCount - 1
                    var r = rightCount - 1
                    while l >= 0 && r >= 0 {
                        let lo = Int(offsets[l])
                        let ro = Int(offsets[128 + r])
                        let ll = Int(left[lo])
                        let rl = Int(right[ro])
                        var k = 1
                        while k <= ll && k <= rl {
                            let x = left[lo + k]
                            let y = right[ro + k]
                            if x != y { return x < y ? -1 : 1 }
                            k += 1
                        }
                        if ll != rl { return ll < rl ? -1 : 1 }
                        l -= 1
                        r -= 1
                    }
                    if leftCount == rightCount { return 0 }
                    return leftCount < rightCount ? -1 : 1
                }
            }
        }
    }
}
