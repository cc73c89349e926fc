import Testing

@testable import DNSModel

@Suite struct WireFormatTests {
    @Test func roundTripsManyRandomMessages() throws {
        var generator = MessageGenerator(rng: SplitMix(seed: 2025))
        var encoder = WireEncoder(capacity: 64)
        for _ in 0..<3000 {
            let message = generator.message()
            let length = try encoder.encode(message)
            let bytes = encoder.bytes
            #expect(bytes.count == length)
            let decoded = try WireDecoder.decode(bytes)
            #expect(decoded == message)
            // Case is preserved through compression for the first spelling of each name.
            #expect(decoded.questions.first?.name.description == message.questions.first?.name.description)
            // The static convenience gives the same bytes.
            #expect(try WireEncoder.encode(message) == bytes)
        }
    }

    @Test func knownQueryBytes() throws {
        let query = Message.query(id: 0x1234, name: name("kv.example."), type: .a)
        let bytes = try WireEncoder.encode(query)
        #expect(
            bytes == [
                0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                2, 0x6B, 0x76, 7, 0x65, 0x78, 0x61, 0x6D, 0x70, 0x6C, 0x65, 0, 0, 1, 0, 1,
            ])
    }

    @Test func compressionShrinksRepeatedNamesWithCorrectPointers() throws {
        let query = Message.query(id: 1, name: name("kv.example."), type: .a)
        let answers = (1...4).map { index in
            ResourceRecord(name: name("KV.example."), ttl: 60, data: .a(IPv4Address(192, 0, 2, UInt8(index))))
        }
        let soa = ResourceRecord(
            name: name("example."), ttl: 60,
            data: .soa(
                SOAData(
                    mname: name("ns1.example."), rname: name("hostmaster.example."), serial: 1, refresh: 2, retry: 3,
                    expire: 4, minimum: 5)))
        let cname = ResourceRecord(name: name("www.example."), ttl: 60, data: .cname(name("kv.example.")))
        let response = query.response(rcode: .noError, answers: answers + [cname], authority: [soa])
        let bytes = try WireEncoder.encode(response)
        // Header 12 + question 16 + 4 × (2 pointer + 10 + 4) + CNAME (www + ptr = 6, 10, rdata ptr 2)
        // + SOA (ptr 2, 10, ns1+ptr 6, hostmaster+ptr 13, 20).
        #expect(bytes.count == 12 + 16 + 4 * 16 + (6 + 10 + 2) + (2 + 10 + 6 + 13 + 20))
        // The first answer's owner is a pointer to the question name at offset 12.
        #expect(bytes[28] == 0xC0 && bytes[29] == 12)
        let decoded = try WireDecoder.decode(bytes)
        #expect(decoded == response)
        // Uncompressed size for comparison: every name written in full.
        let uncompressed = 12 + 16 + 4 * (12 + 14) + (13 + 10 + 12) + (9 + 10 + 13 + 20 + 20)
        #expect(bytes.count < uncompressed)
    }

    @Test func encoderReusesItsBuffer() throws {
        var encoder = WireEncoder()
        let small = Message.query(id: 9, name: name("a."), type: .a)
        let big = Message.query(id: 10, name: name("a-much-longer-name.example."), type: .aaaa)
        let first = try encoder.encode(big)
        let second = try encoder.encode(small)
        #expect(first > second)
        #expect(encoder.count == second)
        let decoded = try encoder.withBytes { raw in try WireDecoder.decode(raw) }
        #expect(decoded == small)
    }

    @Test func limitDropsWholeRecordsAndSetsTC() throws {
        let query = Message.query(id: 5, name: name("big.example."), type: .txt)
        let answers = (0..<10).map { index in
            ResourceRecord(name: name("big.example."), ttl: 60, data: .txt([String(repeating: "x", count: 100 + index)]))
        }
        let response = query.response(rcode: .noError, answers: answers)
        #expect(try WireEncoder.encode(response).count > 512)
        let limited = try WireEncoder.encode(response, limit: 512)
        #expect(limited.count <= 512)
        let decoded = try WireDecoder.decode(limited)
        #expect(decoded.header.truncated)
        #expect(decoded.answers.count == 4)
        #expect(Array(decoded.answers) == Array(answers.prefix(4)))
        // Additional records are dropped without TC.
        var withExtra = query.response(rcode: .noError, answers: [answers[0]])
        withExtra.additional = answers
        let extra = try WireDecoder.decode(try WireEncoder.encode(withExtra, limit: 512))
        #expect(!extra.header.truncated)
        #expect(extra.answers.count == 1 && extra.additional.count == 3)
        // A message that fits is unchanged.
        #expect(try WireEncoder.encode(query, limit: 512) == (try WireEncoder.encode(query)))
    }

    @Test func tooLargeMessagesThrow() {
        let query = Message.query(id: 5, name: name("big.example."), type: .txt)
        let answers = (0..<300).map { _ in
            ResourceRecord(name: name("big.example."), ttl: 60, data: .txt([String(repeating: "y", count: 250)]))
        }
        #expect(throws: DNSModelError.messageTooLarge) {
            try WireEncoder.encode(query.response(rcode: .noError, answers: answers))
        }
        let long = ResourceRecord(name: name("a."), ttl: 1, data: .txt([String(repeating: "z", count: 256)]))
        #expect(throws: DNSModelError.self) {
            try WireEncoder.encode(query.response(rcode: .noError, answers: [long]))
        }
    }

    @Test func decoderRejectsTruncationWithTheOffset() throws {
        let response = Message.query(id: 1, name: name("kv.example."), type: .a)
            .response(rcode: .noError, answers: [record("kv.example. 60 IN A 192.0.2.1")])
        let bytes = try WireEncoder.encode(response)
        #expect(throws: DNSModelError.truncatedMessage(offset: 10)) { try WireDecoder.decode(Array(bytes[0..<11])) }
        #expect(throws: DNSModelError.truncatedMessage(offset: 12)) { try WireDecoder.decode(Array(bytes[0..<12])) }
        // Cut inside the A record's RDATA: the RDLENGTH field at offset 38 announces more than is there.
        #expect(throws: DNSModelError.truncatedMessage(offset: 38)) {
            try WireDecoder.decode(Array(bytes[0..<(bytes.count - 1)]))
        }
    }

    @Test func decoderRejectsLoopsAndForwardPointers() {
        // Question name is a pointer to itself.
        let selfLoop: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]
        #expect(throws: DNSModelError.badCompressionPointer(offset: 12)) { try WireDecoder.decode(selfLoop) }
        // A forward pointer to a valid name later in the message.
        let forward: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 18, 0, 1, 0, 1, 1, 0x61, 0]
        #expect(throws: DNSModelError.badCompressionPointer(offset: 12)) { try WireDecoder.decode(forward) }
        // Reserved label prefix.
        let reserved: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 0, 1, 0, 1]
        #expect(throws: DNSModelError.badLabel(offset: 12)) { try WireDecoder.decode(reserved) }
        // A bad character in a label.
        let space: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x20, 0, 0, 1, 0, 1]
        #expect(throws: DNSModelError.badLabel(offset: 12)) { try WireDecoder.decode(space) }
        // Wrong RDLENGTH for an A record.
        let badA: [UInt8] = [0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 3, 1, 2, 3]
        #expect(throws: DNSModelError.badRecordData(type: .a, offset: 23, reason: "length 3, not 4")) {
            try WireDecoder.decode(badA)
        }
    }

    @Test func randomMutationsNeverCrashOrHang() throws {
        var generator = MessageGenerator(rng: SplitMix(seed: 99))
        var rng = SplitMix(seed: 4242)
        var decodedCount = 0
        var failedCount = 0
        for _ in 0..<300 {
            let original = try WireEncoder.encode(generator.message())
            for _ in 0..<20 {
                var bytes = original
                for _ in 0..<(1 + rng.below(4)) {
                    switch rng.below(4) {
                    case 0 where !bytes.isEmpty: bytes[rng.below(bytes.count)] = UInt8(rng.below(256))
                    case 1 where !bytes.isEmpty: bytes.removeLast(1 + rng.below(min(bytes.count, 8)))
                    case 2 where !bytes.isEmpty: bytes[rng.below(bytes.count)] ^= 0xC0
                    default: bytes.insert(UInt8(rng.below(256)), at: rng.below(bytes.count + 1))
                    }
                }
                do {
                    let message = try WireDecoder.decode(bytes)
                    decodedCount += 1
                    // Whatever decodes re-encodes and decodes to the same message (unless a TXT string
                    // grew past 255 bytes through UTF-8 repair of random bytes).
                    if let again = try? WireEncoder.encode(message) {
                        #expect(try WireDecoder.decode(again) == message)
                    }
                } catch {
                    failedCount += 1
                }
            }
        }
        #expect(decodedCount > 100)
        #expect(failedCount > 100)
    }

    /// Patching the TTL fields found by `recordTTLOffsets` gives the bytes of the message encoded with those TTLs,
    /// whatever the sections and compression look like.
    @Test func patchingRecordTTLsEqualsReencoding() throws {
        var generator = MessageGenerator(rng: SplitMix(seed: 77))
        for round in 0..<500 {
            var message = generator.message()
            let original = try WireEncoder.encode(message)
            let offsets = try WireDecoder.recordTTLOffsets(original)
            #expect(offsets.count == message.answers.count + message.authority.count + message.additional.count)
            let newTTL = UInt32(round * 7919 % 100_000)
            message.answers = message.answers.map { withTTL($0, newTTL) }
            message.authority = message.authority.map { withTTL($0, newTTL) }
            message.additional = message.additional.map { withTTL($0, newTTL) }
            var patched = original
            for offset in offsets {
                for byte in 0..<4 { patched[offset + byte] = UInt8(truncatingIfNeeded: newTTL >> (24 - 8 * UInt32(byte))) }
            }
            #expect(patched == (try WireEncoder.encode(message)), "round \(round)")
        }
    }

    private func withTTL(_ record: ResourceRecord, _ ttl: UInt32) -> ResourceRecord {
        var record = record
        record.ttl = ttl
        return record
    }

    @Test func recordTTLOffsetsRejectATruncatedMessage() throws {
        let message = Message.query(id: 1, name: name("kv.example."), type: .a)
            .response(
                rcode: .noError,
                answers: [ResourceRecord(name: name("kv.example."), ttl: 60, data: .a(IPv4Address(192, 0, 2, 1)))])
        let bytes = try WireEncoder.encode(message)
        #expect(try WireDecoder.recordTTLOffsets(bytes) == [bytes.count - 10])
        #expect(throws: DNSModelError.self) { try WireDecoder.recordTTLOffsets(Array(bytes.dropLast(2))) }
    }
}
