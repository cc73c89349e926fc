/// Decodes DNS wire format (RFC 1035 §4.1) into a ``Message``.
///
/// Compression pointers must point strictly backwards (to an offset before the pointer itself), so
/// loops and forward references are rejected; names must have valid labels (the characters
/// ``DomainName`` accepts) and stay within 255 bytes. A field that runs past the end throws
/// ``DNSModelError/truncatedMessage(offset:)`` with the offset where it starts. Records of types the
/// model does not interpret are kept as ``RecordData/unknown(type:bytes:)``; bytes after the
/// last counted record are ignored.
///
/// ```swift
/// let message = try WireDecoder.decode(bytes)
/// ```
public enum WireDecoder {
    /// Decodes one message.
    public static func decode(_ bytes: [UInt8]) throws(DNSModelError) -> Message {
        let result: Result<Message, DNSModelError> = bytes.withUnsafeBytes { raw in
            do throws(DNSModelError) {
                return .success(try decode(raw))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Decodes one message from raw memory.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DNSModelError) -> Message {
        var reader = WireReader(bytes)
        let id = try reader.u16()
        let flags = try reader.u16()
        let qdcount = Int(try reader.u16())
        let ancount = Int(try reader.u16())
        let nscount = Int(try reader.u16())
        let arcount = Int(try reader.u16())
        var message = Message(header: MessageHeader(id: id, flags: flags))
        message.questions.reserveCapacity(min(qdcount, bytes.count / 5))
        for _ in 0..<qdcount {
            let name = try reader.name()
            let type = try reader.u16()
            let dnsClass = try reader.u16()
            message.questions.append(
                Question(name: name, type: RecordType(rawValue: type), dnsClass: DNSClass(rawValue: dnsClass)))
        }
        message.answers = try reader.records(ancount)
        message.authority = try reader.records(nscount)
        message.additional = try reader.records(arcount)
        return message
    }
}

extension WireDecoder {
    /// Where the TTL field of every resource record (answer, authority and additional sections, in order) starts
    /// in an encoded message: what to patch to send the same message with other TTLs.
    ///
    /// ```swift
    /// let bytes = try WireEncoder.encode(message)
    /// let offsets = try WireDecoder.recordTTLOffsets(bytes)   // one per record, 4 bytes each, big-endian
    /// ```
    public static func recordTTLOffsets(_ bytes: [UInt8]) throws(DNSModelError) -> [Int] {
        let result: Result<[Int], DNSModelError> = bytes.withUnsafeBytes { raw in
            do throws(DNSModelError) {
                var reader = WireReader(raw)
                reader.position = 4
                let qdcount = Int(try reader.u16())
                let records = Int(try reader.u16()) + Int(try reader.u16()) + Int(try reader.u16())
                for _ in 0..<qdcount {
                    _ = try reader.name()
                    _ = try reader.u32()  // type, class
                }
                var offsets: [Int] = []
                offsets.reserveCapacity(records)
                for _ in 0..<records {
                    _ = try reader.name()
                    _ = try reader.u32()  // type, class
                    offsets.append(reader.position)
                    _ = try reader.u32()
                    let length = Int(try reader.u16())
                    guard length <= reader.remaining else { throw .truncatedMessage(offset: reader.position - 2) }
                    reader.position += length
                }
                return .success(offsets)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// A bounds-checked cursor over a message; every read throws instead of reading past the end.
struct WireReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    mutating func u8() throws(DNSModelError) -> UInt8 {
        guard position < bytes.count else { throw .truncatedMessage(offset: position) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() throws(DNSModelError) -> UInt16 {
        guard position + 2 <= bytes.count else { throw .truncatedMessage(offset: position) }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func u32() throws(DNSModelError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw .truncatedMessage(offset: position) }
        defer { position += 4 }
        return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16 | UInt32(bytes[position + 2]) << 8
            | UInt32(bytes[position + 3])
    }

    /// Reads a possibly compressed name and moves past it (past the first pointer, if any).
    mutating func name() throws(DNSModelError) -> DomainName {
        let start = position
        var wire: [UInt8] = []
        wire.reserveCapacity(32)
        var cursor = position
        var end = -1
        while true {
            guard cursor < bytes.count else { throw .truncatedMessage(offset: cursor) }
            let length = bytes[cursor]
            switch length & 0xC0 {
            case 0xC0:
                guard cursor + 1 < bytes.count else { throw .truncatedMessage(offset: cursor) }
                let target = Int(length & 0x3F) << 8 | Int(bytes[cursor + 1])
                // Strictly backwards: no loops, no forward references.
                // Strictly backwards, so every hop lands earlier: no loops, no forward references.
                guard target < cursor else { throw .badCompressionPointer(offset: cursor) }
                if end < 0 { end = cursor + 2 }
                cursor = target
                continue
            case 0x00:
                break
            default:
                throw .badLabel(offset: cursor)
            }
            if length == 0 {
                wire.append(0)
                if end < 0 { end = cursor + 1 }
                break
            }
            let count = Int(length)
            guard cursor + 1 + count <= bytes.count else { throw .truncatedMessage(offset: cursor) }
            guard wire.count + count + 2 <= 255 else { throw .nameTooLong(offset: start) }
            let label = UnsafeRawBufferPointer(rebasing: bytes[(cursor + 1)...(cursor + count)])
            if !(count == 1 && label[0] == UInt8(ascii: "*")) {
                for byte in label where !DomainName.isLabelByte(byte) {
                    throw .badLabel(offset: cursor)
                }
            }
            wire.append(length)
            wire.append(contentsOf: label)
            cursor += count + 1
        }
        position = end
        return DomainName(uncheckedWire: wire)
    }

    mutating func records(_ count: Int) throws(DNSModelError) -> [ResourceRecord] {
        var records: [ResourceRecord] = []
        records.reserveCapacity(min(count, remaining / 11))
        for _ in 0..<count {
            records.append(try record())
        }
        return records
    }

    mutating func record() throws(DNSModelError) -> ResourceRecord {
        let name = try self.name()
        let type = RecordType(rawValue: try u16())
        let dnsClass = DNSClass(rawValue: try u16())
        let ttl = try u32()
        let lengthOffset = position
        let length = Int(try u16())
        let start = position
        guard start + length <= bytes.count else { throw .truncatedMessage(offset: lengthOffset) }
        let end = start + length
        let data: RecordData
        switch type {
        case .a:
            guard length == 4 else { throw .badRecordData(type: type, offset: start, reason: "length \(length), not 4") }
            data = .a(IPv4Address(value: try u32()))
        case .aaaa:
            guard length == 16 else { throw .badRecordData(type: type, offset: start, reason: "length \(length), not 16") }
            let h1 = UInt64(try u32())
            let h2 = UInt64(try u32())
            let l1 = UInt64(try u32())
            let l2 = UInt64(try u32())
            data = .aaaa(IPv6Address(high: h1 << 32 | h2, low: l1 << 32 | l2))
        case .cname, .ns:
            let target = try limited(to: end) { (reader: inout WireReader) throws(DNSModelError) in try reader.name() }
            data = type == .cname ? .cname(target) : .ns(target)
        case .soa:
            data = try limited(to: end) { (reader: inout WireReader) throws(DNSModelError) in
                let mname = try reader.name()
                let rname = try reader.name()
                return .soa(
                    SOAData(
                        mname: mname, rname: rname, serial: try reader.u32(), refresh: try reader.u32(),
                        retry: try reader.u32(), expire: try reader.u32(), minimum: try reader.u32()))
            }
        case .txt:
            var strings: [String] = []
            while position < end {
                let count = Int(try u8())
                guard position + count <= end else {
                    throw .badRecordData(type: type, offset: position - 1, reason: "character-string runs past the record")
                }
                strings.append(
                    String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)]), as: UTF8.self))
                position += count
            }
            data = .txt(strings)
        default:
            data = .unknown(type: type, bytes: Array(UnsafeRawBufferPointer(rebasing: bytes[start..<end])))
            position = end
        }
        guard position == end else {
            throw .badRecordData(type: type, offset: start, reason: "RDLENGTH \(length) does not match the data")
        }
        return ResourceRecord(name: name, ttl: ttl, dnsClass: dnsClass, data: data)
    }

    /// Runs `body` on a reader that ends at `end` (the record's RDATA end); pointers may still reach back.
    mutating func limited<T>(to end: Int, _ body: (inout WireReader) throws(DNSModelError) -> T) throws(DNSModelError) -> T {
        var inner = WireReader(UnsafeRawBufferPointer(rebasing: bytes[0..<end]))
        inner.position = position
        let value = try body(&inner)
        position = inner.position
        return value
    }
}
