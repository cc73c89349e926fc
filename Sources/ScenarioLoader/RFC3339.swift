/// An absolute time written in RFC 3339 form with a UTC offset: `2025-10-19T23:00:00-07:00`, `2000-01-01T00:00:00Z`.
struct RFC3339Time: Hashable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    var unixSeconds: Int64
    /// Fraction of a second, in nanoseconds.
    var nanoseconds: Int64
    /// The written offset from UTC, in seconds.
    var offsetSeconds: Int32

    /// Whether `text` looks like an attempt at a calendar time (starts `YYYY-`).
    static func looksLikeDate(_ text: String) -> Bool {
        let b = Array(text.utf8.prefix(5))
        return b.count == 5 && b[0..<4].allSatisfy { $0 >= 48 && $0 <= 57 } && b[4] == UInt8(ascii: "-")
    }

    /// Parses the text, or returns why it is not an RFC 3339 time with an offset.
    static func parse(_ text: String) -> Result<RFC3339Time, RFC3339Error> {
        let b = Array(text.utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= b.count else { return nil }
            var value = 0
            for k in i..<(i + digits) {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                value = value * 10 + Int(b[k] - 48)
            }
            i += digits
            return value
        }
        func expect(_ chars: String) -> Bool {
            guard i < b.count, chars.utf8.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2)
        else { return .failure(RFC3339Error("expected an RFC 3339 time such as 2025-10-19T23:00:00-07:00")) }
        var nanos: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int64(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return .failure(RFC3339Error("expected digits after the decimal point")) }
            for _ in digits..<9 where digits < 9 { nanos *= 10 }
        }
        var offset = 0
        if i == b.count {
            return .failure(RFC3339Error("an absolute time needs a UTC offset (Z or ±HH:MM), e.g. 2025-10-19T23:00:00-07:00"))
        }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let negative = b[i] == UInt8(ascii: "-")
            i += 1
            guard let oh = number(2), expect(":"), let om = number(2), oh <= 23, om <= 59 else {
                return .failure(RFC3339Error("invalid UTC offset (expected ±HH:MM)"))
            }
            offset = (oh * 60 + om) * 60 * (negative ? -1 : 1)
        } else {
            return .failure(RFC3339Error("invalid UTC offset (expected Z or ±HH:MM)"))
        }
        guard i == b.count else { return .failure(RFC3339Error("unexpected text after the time")) }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month), hour <= 23, minute <= 59,
            second <= 59
        else { return .failure(RFC3339Error("no such date or time")) }
        let days = daysFromCivil(year: year, month: month, day: day)
        let local = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return .success(RFC3339Time(unixSeconds: local - Int64(offset), nanoseconds: nanos, offsetSeconds: Int32(offset)))
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

struct RFC3339Error: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
