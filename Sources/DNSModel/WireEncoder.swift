/// Encodes messages into DNS wire format (RFC 1035 §4.1), reusing one preallocated buffer.
///
/// Owner names and the names inside CNAME, NS and SOA data are compressed (RFC 1035 §4.1.4): every
/// label written at an offset below 0x4000 becomes a pointer target, and each later name ends with a
/// pointer to the longest already-written suffix (compared case-insensitively; the first spelling
/// written wins). Unknown record data is copied verbatim.
///
/// The buffer grows (up to the limit) only when a message does not fit; after that, encoding does
/// not allocate.
///
/// ```swift
/// var encoder = WireEncoder()
/// let length = try encoder.encode(message)
/// encoder.withBytes { send($0) }              // the `length` bytes just written
/// let udp = try encoder.encode(big, limit: 512) // drops whole RRs, sets TC, see encode(_:limit:)
/// ```
public struct WireEncoder {
    private var buffer: [UInt8]
    private var targets: [UInt16]
    /// The length of the last encoded message.
    public private(set) var count: Int = 0

    /// An encoder with a buffer of `capacity` bytes (it grows if a message needs more).
    public init(capacity: Int = 512) {
        buffer = [UInt8](repeating: 0, count: max(capacity, 12))
        targets = []
        targets.reserveCapacity(64)
    }

    /// Encodes `message`, returning its length; throws ``DNSModelError/messageTooLarge`` beyond 65535 bytes.
    @discardableResult
    public mutating func encode(_ message: Message) throws(DNSModelError) -> Int {
        try encode(message, limit: 65535, truncating: false)
    }

    /// Encodes `message` into at most `limit` bytes (clamped to 12...65535), as a server does for UDP.
    ///
    /// Records are written in order (answers, authority, additional). The first record that would
    /// end beyond `limit` is dropped along with every record after it, and the counts say what was
    /// written. TC is set when an answer or authority record was dropped (RFC 2181 §9); dropping
    /// only additional records leaves TC as it was. Throws ``DNSModelError/messageTooLarge`` when the
    /// header and questions alone exceed `limit`.
    @discardableResult
    public mutating func encode(_ message: Message, limit: Int) throws(DNSModelError) -> Int {
        try encode(message, limit: min(max(limit, 12), 65535), truncating: true)
    }

    private mutating func encode(_ message: Message, limit: Int, truncating: Bool) throws(DNSModelError) -> Int {
        if message.questions.count > 0xFFFF || message.answers.count > 0xFFFF || message.authority.count > 0xFFFF
            || message.additional.count > 0xFFFF
        {
            throw .messageTooLarge
        }
        while true {
            let capacity = buffer.count
            var targets = self.targets
            self.targets = []
            let result = buffer.withUnsafeMutableBufferPointer { raw in
                var writer = Writer(base: raw.baseAddress!, capacity: capacity, targets: targets)
                let result = writer.write(message, limit: limit, truncating: truncating)
                targets = writer.targets
                return result
            }
            self.targets = targets
            switch result {
            case .done(let length):
                count = length
                return length
            case .grow:
                buffer = [UInt8](repeating: 0, count: min(max(capacity * 2, 512), 65535 + 512))
            case .failed(let error):
                count = 0
                throw error
            }
        }
    }

    /// Calls `body` with the bytes of the last encoded message (valid only inside `body`).
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[0..<count]))
        }
    }

    /// A copy of the last encoded message.
    public var bytes: [UInt8] { Array(buffer[0..<count]) }

    /// Encodes one message into a new array.
    public static func encode(_ message: Message) throws(DNSModelError) -> [UInt8] {
        var encoder = WireEncoder(capacity: 512)
        try encoder.encode(message)
        return encoder.bytes
    }

    /// Encodes one message into a new array of at most `limit` bytes (see `encode(_:limit:)`).
    public static func encode(_ message: Message, limit: Int) throws(DNSModelError) -> [UInt8] {
        var encoder = WireEncoder(capacity: 512)
        try encoder.encode(message, limit: limit)
        return encoder.bytes
    }
}

private enum WriteResult {
    case done(Int)
    case grow
    case failed(DNSModelError)
}

/// Writes into raw memory; on running out of room it sets `overflow` and stops writing.
private struct Writer {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    var targets: [UInt16]
    var position = 0
    var overflow = false
    var error: DNSModelError?

    init(base: UnsafeMutablePointer<UInt8>, capacity: Int, targets: [UInt16]) {
        self.base = base
        self.capacity = capacity
        self.targets = targets
        self.targets.removeAll(keepingCapacity: true)
    }

    mutating func write(_ message: Message, limit: Int, truncating: Bool) -> WriteResult {
        var header = message.header
        u16(header.id)
        u16(header.flags)
        u16(UInt16(message.questions.count))
        u16(UInt16(message.answers.count))
        u16(UInt16(message.authority.count))
        u16(UInt16(message.additional.count))
        for question in message.questions {
            name(question.name, compress: true)
            u16(question.type.rawValue)
            u16(question.dnsClass.rawValue)
        }
        if overflow || position > limit {
            if overflow && capacity < limit { return .grow }
            return .failed(.messageTooLarge)
        }
        // Sections 0, 1, 2: answers, authority, additional; `written` counts what fit.
        var written = (0, 0, 0)
        sectionLoop: for index in 0..<3 {
            let section = index == 0 ? message.answers : index == 1 ? message.authority : message.additional
            for record in section {
                let mark = position
                let targetMark = targets.count
                self.record(record)
                if let error { return .failed(error) }
                if overflow || position > limit {
                    if overflow && capacity < limit { return .grow }
                    if !truncating { return .failed(.messageTooLarge) }
                    position = mark
                    overflow = false
                    targets.removeLast(targets.count - targetMark)
                    if index < 2 { header.truncated = true }
                    put16(header.flags, at: 2)
                    put16(UInt16(written.0), at: 6)
                    put16(UInt16(written.1), at: 8)
                    put16(UInt16(written.2), at: 10)
                    break sectionLoop
                }
                switch index {
                case 0: written.0 += 1
                case 1: written.1 += 1
                default: written.2 += 1
                }
            }
        }
        return .done(position)
    }

    @inline(__always)
    mutating func room(_ count: Int) -> Bool {
        if position + count > capacity {
            overflow = true
            return false
        }
        return true
    }

    @inline(__always)
    mutating func u8(_ value: UInt8) {
        guard room(1) else { return }
        base[position] = value
        position += 1
    }

    @inline(__always)
    mutating func u16(_ value: UInt16) {
        guard room(2) else { return }
        base[position] = UInt8(value >> 8)
        base[position + 1] = UInt8(truncatingIfNeeded: value)
        position += 2
    }

    @inline(__always)
    mutating func u32(_ value: UInt32) {
        guard room(4) else { return }
        base[position] = UInt8(value >> 24)
        base[position + 1] = UInt8(truncatingIfNeeded: value >> 16)
        base[position + 2] = UInt8(truncatingIfNeeded: value >> 8)
        base[position + 3] = UInt8(truncatingIfNeeded: value)
        position += 4
    }

    @inline(__always)
    func put16(_ value: UInt16, at offset: Int) {
        base[offset] = UInt8(value >> 8)
        base[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    mutating func bytes(_ source: UnsafeBufferPointer<UInt8>) {
        guard room(source.count) else { return }
        if source.count > 0 {
            (base + position).update(from: source.baseAddress!, count: source.count)
        }
        position += source.count
    }

    mutating func record(_ record: ResourceRecord) {
        name(record.name, compress: true)
        u16(record.type.rawValue)
        u16(record.dnsClass.rawValue)
        u32(record.ttl)
        let lengthOffset = position
        u16(0)
        let start = position
        switch record.data {
        case .a(let address):
            u32(address.value)
        case .aaaa(let address):
            u32(UInt32(truncatingIfNeeded: address.high >> 32))
            u32(UInt32(truncatingIfNeeded: address.high))
            u32(UInt32(truncatingIfNeeded: address.low >> 32))
            u32(UInt32(truncatingIfNeeded: address.low))
        case .cname(let target), .ns(let target):
            name(target, compress: true)
        case .soa(let soa):
            name(soa.mname, compress: true)
            name(soa.rname, compress: true)
            u32(soa.serial)
            u32(soa.refresh)
            u32(soa.retry)
            u32(soa.expire)
            u32(soa.minimum)
        case .txt(let strings):
            for var string in strings {
                string.withUTF8 { utf8 in
                    if utf8.count > 255 {
                        error = .badRecordData(
                            type: .txt, offset: position, reason: "character-string longer than 255 bytes (\(utf8.count))")
                        return
                    }
                    u8(UInt8(utf8.count))
                    bytes(utf8)
                }
            }
        case .unknown(_, let data):
            if data.count > 0xFFFF {
                error = .messageTooLarge
                return
            }
            data.withUnsafeBufferPointer { bytes($0) }
        }
        if overflow { return }
        let length = position - start
        if length > 0xFFFF {
            error = .messageTooLarge
            return
        }
        put16(UInt16(length), at: lengthOffset)
    }

    /// Writes a name, ending with a pointer to the longest suffix already in the message.
    mutating func name(_ name: DomainName, compress: Bool) {
        name.lower.withUnsafeBufferPointer { lower in
            name.wire.withUnsafeBufferPointer { wire in
                var suffix = 0
                var pointer = -1
                if compress {
                    search: while lower[suffix] != 0 {
                        for target in targets where matches(Int(target), lower, from: suffix) {
                            pointer = Int(target)
                            break search
                        }
                        suffix += Int(lower[suffix]) + 1
                    }
                }
                // Labels before the suffix (or all of them), each a future pointer target.
                let end = pointer >= 0 ? suffix : wire.count - 1
                guard room(end + (pointer >= 0 ? 2 : 1)) else { return }
                var index = 0
                while index < end {
                    if position < 0x4000 { targets.append(UInt16(position)) }
                    let length = Int(wire[index]) + 1
                    (base + position).update(from: wire.baseAddress! + index, count: length)
                    position += length
                    index += length
                }
                if pointer >= 0 {
                    u16(0xC000 | UInt16(pointer))
                } else {
                    u8(0)
                }
            }
        }
    }

    /// Whether the (possibly compressed) name at `offset` equals `lower[from...]`, ignoring ASCII case.
    func matches(_ offset: Int, _ lower: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        var position = offset
        var index = from
        while true {
            var length = base[position]
            while length & 0xC0 == 0xC0 {
                position = Int(length & 0x3F) << 8 | Int(base[position + 1])
                length = base[position]
            }
            if length != lower[index] { return false }
            if length == 0 { return true }
            var k = 1
            while k <= Int(length) {
                var byte = base[position + k]
                if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
                if byte != lower[index + k] { return false }
                k += 1
            }
            position += Int(length) + 1
            index += Int(length) + 1
        }
    }
}
