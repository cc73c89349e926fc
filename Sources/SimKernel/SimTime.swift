/// An instant of virtual time: integer nanoseconds since the scenario's start.
///
/// Models never read the wall clock; the only clock is ``Simulator/now``.
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the start of the run.
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The start of every run.
    public static let zero = SimTime(nanoseconds: 0)
    /// Later than every instant a run can reach.
    public static let distantFuture = SimTime(nanoseconds: .max)

    @inlinable public static func < (lhs: SimTime, rhs: SimTime) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    @inlinable public static func + (lhs: SimTime, rhs: SimDuration) -> SimTime {
        let (sum, overflow) = lhs.nanoseconds.addingReportingOverflow(rhs.nanoseconds)
        return SimTime(nanoseconds: overflow ? (rhs.nanoseconds > 0 ? .max : .min) : sum)
    }

    @inlinable public static func - (lhs: SimTime, rhs: SimDuration) -> SimTime {
        lhs + SimDuration(nanoseconds: -rhs.nanoseconds)
    }

    @inlinable public static func - (lhs: SimTime, rhs: SimTime) -> SimDuration {
        SimDuration(nanoseconds: lhs.nanoseconds - rhs.nanoseconds)
    }

    @inlinable public static func += (lhs: inout SimTime, rhs: SimDuration) { lhs = lhs + rhs }

    /// The offset from the start, as a duration (`T+1h2m3s` style).
    public var sinceStart: SimDuration { SimDuration(nanoseconds: nanoseconds) }

    public var description: String { "T+\(sinceStart)" }
}

/// A span of virtual time in integer nanoseconds.
///
/// Written and read as `250ms`, `30s`, `5m`, `1h30m`, `2d` (see ``init(parsing:)``).
public struct SimDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = SimDuration(nanoseconds: 0)

    @inlinable public static func nanoseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n) }
    @inlinable public static func microseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000) }
    @inlinable public static func milliseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000_000) }
    @inlinable public static func seconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000_000_000) }
    @inlinable public static func minutes(_ n: Int64) -> SimDuration { .seconds(n * 60) }
    @inlinable public static func hours(_ n: Int64) -> SimDuration { .seconds(n * 3_600) }

    /// A duration from a (possibly fractional) number of seconds, rounded to the nearest nanosecond.
    public static func fractionalSeconds(_ value: Double) -> SimDuration {
        SimDuration(nanoseconds: Int64((value * 1e9).rounded()))
    }

    /// The duration in seconds as a floating-point number (for rates and display only).
    public var seconds: Double { Double(nanoseconds) / 1e9 }
    /// Whole seconds, rounded down.
    public var wholeSeconds: Int64 {
        nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : -((-(nanoseconds + 1)) / 1_000_000_000) - 1
    }

    @inlinable public static func < (lhs: SimDuration, rhs: SimDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    @inlinable public static func + (lhs: SimDuration, rhs: SimDuration) -> SimDuration {
        SimDuration(nanoseconds: lhs.nanoseconds &+ rhs.nanoseconds)
    }
    @inlinable public static func - (lhs: SimDuration, rhs: SimDuration) -> SimDuration {
        SimDuration(nanoseconds: lhs.nanoseconds &- rhs.nanoseconds)
    }
    @inlinable public static func * (lhs: SimDuration, rhs: Int64) -> SimDuration {
        SimDuration(nanoseconds: lhs.nanoseconds &* rhs)
    }
    @inlinable public static func << (lhs: SimDuration, rhs: Int) -> SimDuration {
        SimDuration(nanoseconds: lhs.nanoseconds << Int64(rhs))
    }

    /// Scales by a factor, rounding to the nearest nanosecond.
    public func scaled(by factor: Double) -> SimDuration {
        SimDuration(nanoseconds: Int64((Double(nanoseconds) * factor).rounded()))
    }

    /// The shortest exact spelling: `0s`, `250ms`, `1h30m`, `1m0.5s` is written `60500ms`.
    public var description: String {
        var n = nanoseconds
        if n == 0 { return "0s" }
        var sign = ""
        if n < 0 {
            sign = "-"
            n = n == .min ? .max : -n
        }
        let units: [(String, Int64)] = [
            ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000),
        ]
        if n % 1_000_000_000 == 0 {
            var out = sign
            for (name, size) in units where n >= size {
                out += "\(n / size)\(name)"
                n %= size
            }
            return out
        }
        if n % 1_000_000 == 0 { return "\(sign)\(n / 1_000_000)ms" }
        if n % 1_000 == 0 { return "\(sign)\(n / 1_000)us" }
        return "\(sign)\(n)ns"
    }
}

extension SimDuration {
    /// Parses `250ms`, `30s`, `5m`, `1h30m`, `1.5s`, `2d`, `0`. Units: `ns`, `us`, `ms`, `s`, `m`, `h`, `d`.
    /// Returns `nil` for anything else, including a bare number other than `0`, negative values and overflow.
    public init?(parsing text: String) {
        let s = Array(text.utf8)
        if s == Array("0".utf8) {
            self = .zero
            return
        }
        var total: Int64 = 0
        var i = 0
        var sawComponent = false
        while i < s.count {
            var whole: Int64 = 0
            var digits = 0
            while i < s.count, s[i] >= 48, s[i] <= 57 {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(s[i] - 48))
                if o1 || o2 { return nil }
                whole = a
                digits += 1
                i += 1
            }
            var fraction: [UInt8] = []
            if i < s.count, s[i] == UInt8(ascii: ".") {
                i += 1
                while i < s.count, s[i] >= 48, s[i] <= 57 {
                    fraction.append(s[i] - 48)
                    i += 1
                }
                if fraction.isEmpty { return nil }
            }
            if digits == 0 { return nil }
            var unitEnd = i
            while unitEnd < s.count, (s[unitEnd] >= 97 && s[unitEnd] <= 122) { unitEnd += 1 }
            let unit = String(decoding: s[i..<unitEnd], as: UTF8.self)
            i = unitEnd
            let size: Int64
            switch unit {
            case "ns": size = 1
            case "us": size = 1_000
            case "ms": size = 1_000_000
            case "s": size = 1_000_000_000
            case "m": size = 60_000_000_000
            case "h": size = 3_600_000_000_000
            case "d": size = 86_400_000_000_000
            default: return nil
            }
            let (w, o3) = whole.multipliedReportingOverflow(by: size)
            if o3 { return nil }
            var frac: Int64 = 0
            var scale = size
            for digit in fraction {
                scale /= 10
                if scale == 0 {
                    if digit != 0 { return nil }  // finer than a nanosecond
                    continue
                }
                frac += Int64(digit) * scale
            }
            let (t1, o4) = total.addingReportingOverflow(w)
            let (t2, o5) = t1.addingReportingOverflow(frac)
            if o4 || o5 { return nil }
            total = t2
            sawComponent = true
        }
        guard sawComponent else { return nil }
        self.init(nanoseconds: total)
    }
}
