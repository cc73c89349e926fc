public import SimKernel
import WorldModel

extension Scenario {
    /// A time given on the command line that is not a moment of the scenario.
    public struct TimeError: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// A moment of this scenario from text a person types: a clock time in the scenario's zone (`01:00`, `02:25:30`:
    /// the first such moment at or after the start), a duration from the start (`2h30m`, or `+2h30m`), or an RFC 3339 time.
    /// Times outside the run are errors.
    public func time(_ text: String) throws(TimeError) -> SimTime {
        let clock = spec.clock
        let end = SimTime.zero + spec.duration
        func outside() -> TimeError {
            TimeError(
                "time '\(text)' is outside the scenario (\(clock.format(.zero, style: .dateTime)) to "
                    + "\(clock.format(end, style: .dateTime)))")
        }
        let time: SimTime
        if let secondsOfDay = Self.clockTime(text) {
            let startOfDay = Int64(((clock.startUnixSeconds + Int64(clock.utcOffsetSeconds)) % 86_400 + 86_400) % 86_400)
            let delta = ((secondsOfDay - startOfDay) % 86_400 + 86_400) % 86_400
            time = SimTime.zero + .seconds(delta)
        } else if RFC3339Time.looksLikeDate(text) {
            guard case .success(let absolute) = RFC3339Time.parse(text) else {
                throw TimeError("time '\(text)' is not an RFC 3339 time with an offset")
            }
            let (delta, overflow) = absolute.unixSeconds.subtractingReportingOverflow(clock.startUnixSeconds)
            guard !overflow, abs(delta) < Int64.max / 1_000_000_000 - 1 else { throw outside() }
            time = SimTime(nanoseconds: delta * 1_000_000_000 + absolute.nanoseconds)
        } else if let offset = SimDuration(parsing: text.hasPrefix("+") ? String(text.dropFirst()) : text) {
            time = SimTime.zero + offset
        } else {
            throw TimeError(
                "'\(text)' is not a time: use a clock time (01:00), a duration from the start (2h) or an RFC 3339 time")
        }
        guard time >= .zero, time <= end else { throw outside() }
        return time
    }

    /// Seconds of the day of `HH:MM` or `HH:MM:SS`.
    private static func clockTime(_ text: String) -> Int64? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isNumber) }),
            let h = Int64(parts[0]), let m = Int64(parts[1]), h < 24, m < 60
        else { return nil }
        let s = parts.count == 3 ? Int64(parts[2]) ?? 60 : 0
        guard s < 60 else { return nil }
        return h * 3600 + m * 60 + s
    }
}
