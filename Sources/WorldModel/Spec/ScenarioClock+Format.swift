public import SimKernel

extension ScenarioClock {
    /// How much of a calendar time to show.
    public enum Style: Sendable {
        /// `02:25:00 PDT`
        case time
        /// `2025-10-20 02:25:00 PDT`
        case dateTime
        /// `2025-10-20T02:25:00-07:00` (RFC 3339, for machine output)
        case rfc3339
    }

    /// Formats a virtual instant as calendar time in the scenario's display zone (whole seconds, rounded down).
    public func format(_ time: SimTime, style: Style = .time) -> String {
        let civil = civilTime(time)
        let clock = "\(pad(civil.hour)):\(pad(civil.minute)):\(pad(civil.second))"
        let date = "\(civil.year)-\(pad(civil.month))-\(pad(civil.day))"
        switch style {
        case .time: return "\(clock) \(zoneLabel)"
        case .dateTime: return "\(date) \(clock) \(zoneLabel)"
        case .rfc3339: return "\(date)T\(clock)\(offsetText)"
        }
    }

    /// `+00:00`, `-07:00`.
    public var offsetText: String {
        let total = Int(utcOffsetSeconds)
        let sign = total < 0 ? "-" : "+"
        let magnitude = abs(total) / 60
        return "\(sign)\(pad(magnitude / 60)):\(pad(magnitude % 60))"
    }

    /// The calendar fields of a virtual instant in the display zone. Works in whole seconds, so any start date a
    /// scenario can give (year 1 to 9999) formats without overflow.
    public func civilTime(_ time: SimTime) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let nanos = time.nanoseconds
        let sinceStart = nanos >= 0 ? nanos / 1_000_000_000 : (nanos - 999_999_999) / 1_000_000_000
        let seconds = startUnixSeconds + sinceStart + Int64(utcOffsetSeconds)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (y, m, d) = ScenarioClock.civilFromDays(days)
        return (y, m, d, secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
    }

    /// Days since 1970-01-01 → proleptic Gregorian date (H. Hinnant's algorithm).
    static func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// Proleptic Gregorian date → days since 1970-01-01 (the inverse of `civilFromDays`).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
