extension ResourceRecord {
    /// Parses one zone-file line in RFC 1035 §5.1 presentation format.
    ///
    /// `owner [TTL] [CLASS] TYPE RDATA`, TTL and class in either order. The TTL is a number of
    /// seconds or BIND units (`1h30m`, `2d`, `1w`); it may be omitted when `defaultTTL` is given.
    /// The owner `@` means `origin`; names without a trailing dot (owner or inside RDATA) are
    /// relative to `origin`. TXT takes one or more strings, quoted (`"a b"`, with `\"`, `\\` and
    /// `\DDD` escapes) or bare; SOA takes its seven fields, optionally inside `( )`; other types take
    /// the RFC 3597 form `\# <length> <hex>`. `;` starts a comment outside quotes.
    ///
    /// ```swift
    /// let soa = try ResourceRecord(
    ///     zoneText: "@ 3600 IN SOA ns1 hostmaster ( 1 7200 900 1209600 300 )", origin: try DomainName("example."))
    /// ```
    /// - Throws: ``DNSModelError/invalidRecord(text:reason:column:)`` saying what is wrong and at which column.
    public init(zoneText: String, origin: DomainName? = nil, defaultTTL: UInt32? = nil) throws(DNSModelError) {
        var parser = try ZoneLineParser(line: zoneText)
        guard let record = try parser.record(origin: origin, defaultTTL: defaultTTL, previousOwner: nil) else {
            throw .invalidRecord(text: zoneText, reason: "no record on this line")
        }
        self = record
    }
}

/// One token of a zone-file line.
struct ZoneToken {
    var text: String
    var quoted: Bool
    /// 1-based column of the token's first character.
    var column: Int
}

/// Tokenizes and parses one logical zone-file line.
struct ZoneLineParser {
    let line: String
    var tokens: [ZoneToken] = []
    var index = 0
    /// Whether the line starts with blank space (the owner is the previous record's).
    var startsWithBlank = false

    init(line: String) throws(DNSModelError) {
        self.line = line
        let characters = Array(line.unicodeScalars)
        startsWithBlank = characters.first.map { $0 == " " || $0 == "\t" } ?? false
        var position = 0
        var depth = 0
        while position < characters.count {
            let character = characters[position]
            switch character {
            case " ", "\t", "\r", "\n":
                position += 1
            case ";":
                position = characters.count
            case "(":
                depth += 1
                position += 1
            case ")":
                guard depth > 0 else { throw .invalidRecord(text: line, reason: "')' without '('", column: position + 1) }
                depth -= 1
                position += 1
            case "\"":
                let start = position
                position += 1
                var bytes: [UInt8] = []
                var closed = false
                while position < characters.count {
                    let scalar = characters[position]
                    if scalar == "\"" {
                        closed = true
                        position += 1
                        break
                    }
                    if scalar == "\\" {
                        let (value, consumed) = try ZoneLineParser.escape(characters, position, line: line)
                        bytes.append(value)
                        position += consumed
                        continue
                    }
                    bytes.append(contentsOf: Array(String(scalar).utf8))
                    position += 1
                }
                guard closed else { throw .invalidRecord(text: line, reason: "unterminated quoted string", column: start + 1) }
                tokens.append(ZoneToken(text: String(decoding: bytes, as: UTF8.self), quoted: true, column: start + 1))
            default:
                let start = position
                var bytes: [UInt8] = []
                while position < characters.count {
                    let scalar = characters[position]
                    if scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" || scalar == ";" || scalar == "("
                        || scalar == ")" || scalar == "\""
                    {
                        break
                    }
                    if scalar == "\\" && position + 1 < characters.count && characters[position + 1] == "#" {
                        bytes.append(contentsOf: Array("\\#".utf8))
                        position += 2
                        continue
                    }
                    if scalar == "\\" {
                        let (value, consumed) = try ZoneLineParser.escape(characters, position, line: line)
                        bytes.append(value)
                        position += consumed
                        continue
                    }
                    bytes.append(contentsOf: Array(String(scalar).utf8))
                    position += 1
                }
                tokens.append(ZoneToken(text: String(decoding: bytes, as: UTF8.self), quoted: false, column: start + 1))
            }
        }
        if depth > 0 { throw .invalidRecord(text: line, reason: "'(' without ')'", column: characters.count + 1) }
    }

    /// `line` without its `;` comment (a `;` inside quotes or after `\\` does not start one).
    static func strippingComment(_ line: String) -> String {
        var quoted = false
        var escaped = false
        var index = line.unicodeScalars.startIndex
        for scalar in line.unicodeScalars {
            if escaped {
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                quoted.toggle()
            } else if scalar == ";" && !quoted {
                return String(line.unicodeScalars[..<index])
            }
            index = line.unicodeScalars.index(after: index)
        }
        return line
    }

    /// Whether the parentheses of `line` (outside quotes and comments) leave a group open.
    static func opensGroup(_ line: String) -> Int {
        var depth = 0
        var quoted = false
        var escaped = false
        for scalar in line.unicodeScalars {
            if escaped {
                escaped = false
                continue
            }
            switch scalar {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case ";" where !quoted: return depth
            case "(" where !quoted: depth += 1
            case ")" where !quoted: depth -= 1
            default: break
            }
        }
        return depth
    }

    /// Reads `\X` or `\DDD` at `position`; returns the byte and the characters consumed.
    static func escape(_ characters: [Unicode.Scalar], _ position: Int, line: String) throws(DNSModelError) -> (UInt8, Int) {
        guard position + 1 < characters.count else {
            throw .invalidRecord(text: line, reason: "'\\' at the end of the line", column: position + 1)
        }
        let next = characters[position + 1]
        if next.properties.numericType != nil, next.isASCII {
            guard position + 3 < characters.count else {
                throw .invalidRecord(text: line, reason: "'\\DDD' escape needs three digits", column: position + 1)
            }
            let digits = String(String.UnicodeScalarView(characters[(position + 1)...(position + 3)]))
            guard let value = UInt8(digits) else {
                throw .invalidRecord(text: line, reason: "'\\\(digits)' is not a byte value (000...255)", column: position + 1)
            }
            return (value, 4)
        }
        guard next.isASCII else {
            throw .invalidRecord(text: line, reason: "'\\' before a non-ASCII character", column: position + 1)
        }
        return (UInt8(next.value), 2)
    }

    var isEmpty: Bool { tokens.isEmpty }

    func fail(_ reason: String, at token: ZoneToken? = nil) -> DNSModelError {
        .invalidRecord(text: line, reason: reason, column: token?.column ?? line.unicodeScalars.count + 1)
    }

    mutating func next(_ what: String) throws(DNSModelError) -> ZoneToken {
        guard index < tokens.count else { throw fail("missing \(what)") }
        defer { index += 1 }
        return tokens[index]
    }

    func unquoted(_ token: ZoneToken, _ what: String) throws(DNSModelError) -> String {
        if token.quoted { throw fail("\(what) must not be quoted", at: token) }
        return token.text
    }

    func name(_ token: ZoneToken, origin: DomainName?, what: String) throws(DNSModelError) -> DomainName {
        let text = try unquoted(token, what)
        if text == "@" {
            guard let origin else { throw fail("'@' needs an origin", at: token) }
            return origin
        }
        do throws(DNSModelError) {
            if text.hasSuffix(".") { return try DomainName(text) }
            guard let origin else { throw fail("relative \(what) '\(text)' needs an origin (or end it with '.')", at: token) }
            return origin.isRoot ? try DomainName(text) : try DomainName(text + "." + origin.description)
        } catch {
            if case .invalidName(_, let reason) = error { throw fail("\(what) '\(text)': \(reason)", at: token) }
            throw error
        }
    }

    /// A TTL in seconds or BIND units (`1w2d3h4m5s`); nil when `text` is not a TTL.
    static func ttl(_ text: String) -> UInt32? {
        if text.isEmpty { return nil }
        if let seconds = UInt32(text) { return seconds }
        guard let first = text.unicodeScalars.first, first.properties.numericType != nil else { return nil }
        var total: UInt64 = 0
        var current: UInt64 = 0
        var digits = 0
        for scalar in text.lowercased().unicodeScalars {
            if let digit = UInt8(String(scalar)), scalar.isASCII {
                current = current * 10 + UInt64(digit)
                digits += 1
                if current > UInt64(UInt32.max) { return nil }
                continue
            }
            let unit: UInt64
            switch scalar {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86400
            case "w": unit = 604800
            default: return nil
            }
            guard digits > 0 else { return nil }
            total += current * unit
            current = 0
            digits = 0
        }
        guard digits == 0, total <= UInt64(UInt32.max) else { return nil }
        return UInt32(total)
    }

    func number(_ token: ZoneToken, _ what: String, allowUnits: Bool) throws(DNSModelError) -> UInt32 {
        let text = try unquoted(token, what)
        if let value = allowUnits ? ZoneLineParser.ttl(text) : UInt32(text) { return value }
        throw fail("\(what) '\(text)' is not a number 0...4294967295", at: token)
    }

    /// Parses the record; nil for a line with no tokens.
    mutating func record(
        origin: DomainName?, defaultTTL: UInt32?, previousOwner: DomainName?
    ) throws(DNSModelError)
        -> ResourceRecord?
    {
        if tokens.isEmpty { return nil }
        let owner: DomainName
        if startsWithBlank {
            guard let previousOwner else { throw fail("line starts with blank space but there is no previous owner name") }
            owner = previousOwner
        } else {
            owner = try name(try next("owner name"), origin: origin, what: "owner name")
        }
        var ttl: UInt32?
        var dnsClass: DNSClass?
        var typeToken: ZoneToken?
        while typeToken == nil {
            let token = try next("record type")
            if token.quoted { throw fail("expected a TTL, class or type, found a quoted string", at: token) }
            if let value = ZoneLineParser.ttl(token.text) {
                if ttl != nil { throw fail("second TTL '\(token.text)'", at: token) }
                ttl = value
            } else if let value = DNSClass(mnemonic: token.text), RecordType(mnemonic: token.text) == nil {
                if dnsClass != nil { throw fail("second class '\(token.text)'", at: token) }
                dnsClass = value
            } else if let first = token.text.unicodeScalars.first, first.properties.numericType != nil {
                throw fail("TTL '\(token.text)' is not a number of seconds (or units like 1h30m) up to 4294967295", at: token)
            } else {
                typeToken = token
            }
        }
        let token = typeToken!
        guard let type = RecordType(mnemonic: token.text) else {
            throw fail("unknown record type '\(token.text)'", at: token)
        }
        guard let resolvedTTL = ttl ?? defaultTTL else {
            throw fail("missing TTL (and no default TTL)", at: token)
        }
        let data = try rdata(type, typeToken: token, origin: origin)
        if index < tokens.count {
            throw fail("unexpected '\(tokens[index].text)' after the \(type) data", at: tokens[index])
        }
        return ResourceRecord(name: owner, ttl: resolvedTTL, dnsClass: dnsClass ?? .in, data: data)
    }

    mutating func rdata(_ type: RecordType, typeToken: ZoneToken, origin: DomainName?) throws(DNSModelError) -> RecordData {
        if index < tokens.count && tokens[index].text == "\\#" && !tokens[index].quoted {
            return try generic(type)
        }
        switch type {
        case .a:
            let token = try next("IPv4 address")
            guard let address = IPv4Address(try unquoted(token, "IPv4 address")) else {
                throw fail("'\(token.text)' is not an IPv4 address", at: token)
            }
            return .a(address)
        case .aaaa:
            let token = try next("IPv6 address")
            guard let address = IPv6Address(try unquoted(token, "IPv6 address")) else {
                throw fail("'\(token.text)' is not an IPv6 address", at: token)
            }
            return .aaaa(address)
        case .cname:
            return .cname(try name(try next("CNAME target"), origin: origin, what: "CNAME target"))
        case .ns:
            return .ns(try name(try next("NS name server"), origin: origin, what: "NS name server"))
        case .soa:
            let mname = try name(try next("SOA MNAME"), origin: origin, what: "SOA MNAME")
            let rname = try name(try next("SOA RNAME"), origin: origin, what: "SOA RNAME")
            let serial = try number(try next("SOA SERIAL"), "SOA SERIAL", allowUnits: false)
            let refresh = try number(try next("SOA REFRESH"), "SOA REFRESH", allowUnits: true)
            let retry = try number(try next("SOA RETRY"), "SOA RETRY", allowUnits: true)
            let expire = try number(try next("SOA EXPIRE"), "SOA EXPIRE", allowUnits: true)
            let minimum = try number(try next("SOA MINIMUM"), "SOA MINIMUM", allowUnits: true)
            return .soa(
                SOAData(
                    mname: mname, rname: rname, serial: serial, refresh: refresh, retry: retry, expire: expire,
                    minimum: minimum))
        case .txt:
            var strings: [String] = []
            while index < tokens.count {
                let token = tokens[index]
                if token.text.utf8.count > 255 {
                    throw fail("TXT string longer than 255 bytes (\(token.text.utf8.count))", at: token)
                }
                strings.append(token.text)
                index += 1
            }
            if strings.isEmpty { throw fail("missing TXT string") }
            return .txt(strings)
        default:
            throw fail("\(type) data must be written in the RFC 3597 form '\\# <length> <hex>'", at: typeToken)
        }
    }

    /// RFC 3597 `\# <length> <hex...>`.
    mutating func generic(_ type: RecordType) throws(DNSModelError) -> RecordData {
        index += 1
        let lengthToken = try next("RDATA length after '\\#'")
        guard let length = Int(lengthToken.text), length <= 0xFFFF else {
            throw fail("RDATA length '\(lengthToken.text)' is not a number 0...65535", at: lengthToken)
        }
        var bytes: [UInt8] = []
        while index < tokens.count {
            let token = tokens[index]
            let scalars = Array(token.text.utf8)
            guard !token.quoted, scalars.count % 2 == 0 else {
                throw fail("'\(token.text)' is not hex bytes", at: token)
            }
            var position = 0
            while position < scalars.count {
                guard let high = IPv6Address.hexValue(scalars[position]),
                    let low = IPv6Address.hexValue(scalars[position + 1])
                else { throw fail("'\(token.text)' is not hex bytes", at: token) }
                bytes.append(high << 4 | low)
                position += 2
            }
            index += 1
        }
        guard bytes.count == length else {
            throw fail("RDATA length \(length) but \(bytes.count) bytes of hex follow", at: lengthToken)
        }
        switch type {
        case .a, .aaaa, .cname, .ns, .soa, .txt:
            // Known types in generic form: decode the bytes as the typed data.
            // A root-owned record around the bytes, decoded by the wire reader.
            let code = type.rawValue
            var wire: [UInt8] = [
                0, UInt8(code >> 8), UInt8(code & 0xFF), 0, 1, 0, 0, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF),
            ]
            wire += bytes
            let decoded: Result<ResourceRecord, DNSModelError> = wire.withUnsafeBytes { raw in
                var reader = WireReader(raw)
                do throws(DNSModelError) {
                    return .success(try reader.record())
                } catch {
                    return .failure(error)
                }
            }
            switch decoded {
            case .success(let record): return record.data
            case .failure(let error): throw fail("\(type) data in '\\#' form does not decode: \(error)")
            }
        default:
            return .unknown(type: type, bytes: bytes)
        }
    }
}
