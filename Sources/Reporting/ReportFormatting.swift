public import SimKernel
public import WorldModel

/// Display helpers shared by the renderers: times, durations, percentages and names, all deterministic.
public enum ReportFormatting {
    /// A duration for people: `0s`, `250ms`, `5m13s`, `1h2m3.456s` (rounded to the millisecond).
    public static func duration(_ d: SimDuration) -> String {
        var ms = (d.nanoseconds + (d.nanoseconds >= 0 ? 500_000 : -500_000)) / 1_000_000
        if ms == 0 { return "0s" }
        var sign = ""
        if ms < 0 {
            sign = "-"
            ms = -ms
        }
        if ms < 1_000 { return "\(sign)\(ms)ms" }
        let hours = ms / 3_600_000
        let minutes = ms % 3_600_000 / 60_000
        let seconds = ms % 60_000 / 1_000
        let millis = ms % 1_000
        var out = sign
        if hours > 0 { out += "\(hours)h" }
        if minutes > 0 { out += "\(minutes)m" }
        if seconds > 0 || millis > 0 {
            out += "\(seconds)"
            if millis > 0 {
                var fraction = String(millis)
                fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
                while fraction.last == "0" { fraction.removeLast() }
                out += ".\(fraction)"
            }
            out += "s"
        }
        return out
    }

    /// Minutes with one decimal (`5.2`), for "minutes down".
    public static func minutes(_ d: SimDuration) -> String {
        fixed(d.seconds / 60, decimals: 1)
    }

    /// A fraction as a percentage with one decimal (`87.5%`).
    public static func percent(_ fraction: Double) -> String {
        fixed(fraction * 100, decimals: 1) + "%"
    }

    /// A number with a fixed count of decimals, rounded half away from zero, without locale or `printf`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        let whole = Int64(scaled / scale)
        var text = "\(whole)"
        if decimals > 0 {
            let frac = Int64(scaled) - whole * Int64(scale)
            var fracText = "\(frac)"
            fracText = String(repeating: "0", count: max(0, decimals - fracText.count)) + fracText
            text += ".\(fracText)"
        }
        return (value < 0 && scaled != 0 ? "-" : "") + text
    }

    /// The time style a run needs: clock time alone if the whole run stays inside one calendar day, else date and time.
    public static func timeStyle(for results: RunResults) -> ScenarioClock.Style {
        let start = results.clock.civilTime(.zero)
        let end = results.clock.civilTime(.zero + results.duration)
        return (start.year, start.month, start.day) == (end.year, end.month, end.day) ? .time : .dateTime
    }

    /// `PASS`, or `FAIL (n of m expectations failed)`.
    public static func verdict(_ expectations: [ExpectationResult], color: Bool) -> String {
        let failed = expectations.filter { !$0.passed }.count
        return failed == 0
            ? ANSIStyle.green.apply("PASS", enabled: color)
            : ANSIStyle.red.apply("FAIL", enabled: color) + " (\(failed) of \(expectations.count) expectations failed)"
    }

    /// A metric's name as written in scenario files (`firstFailure`, `lookups(NXDOMAIN)`).
    public static func metricName(_ metric: ExpectationMetric) -> String {
        switch metric {
        case .firstFailure: return "firstFailure"
        case .recovery: return "recovery"
        case .lookups(nil): return "lookups"
        case .lookups(let outcome?): return "lookups(\(outcome.rfcName))"
        case .fraction(let outcome): return "fraction(\(outcome.rfcName))"
        case .staleAnswers: return "staleAnswers"
        case .downtime: return "downtime"
        case .minAvailability: return "minAvailability"
        case .medianRecovery(let strategy): return "medianRecovery(\(strategy))"
        case .down: return "down"
        case .peak(let series, _, let timesNormal): return timesNormal ? "peak(\(series))/normal" : "peak(\(series))"
        case .stays(let series, let below, _): return "stays(\(series) < \(below))"
        }
    }
}
