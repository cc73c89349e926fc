public import SimKernel

/// The c-ares 1.18 channel options the stub-resolver model follows (``StubLookup``).
///
/// ```swift
/// let options = StubResolverOptions(timeout: .milliseconds(200), tries: 2)
/// ```
///
/// Each field mirrors one `ares_init_options` setting: `ARES_OPT_TIMEOUTMS`, `ARES_OPT_TRIES`,
/// `ARES_OPT_ROTATE` / `ARES_OPT_NOROTATE`, and the flags `ARES_FLAG_NOCHECKRESP`, `ARES_FLAG_IGNTC`
/// and `ARES_FLAG_USEVC`. The defaults are c-ares's own (5000 ms, 4 tries, no rotation, no flags).
public struct StubResolverOptions: Hashable, Sendable {
    /// The first attempt's timeout (`ARES_OPT_TIMEOUTMS`); doubled for every round over the servers.
    public var timeout: SimDuration
    /// How many rounds over the server list (`ARES_OPT_TRIES`); attempts = tries × servers.
    public var tries: Int
    /// `ARES_OPT_ROTATE`: successive lookups on a channel start at successive servers.
    public var rotate: Bool
    /// `ARES_FLAG_NOCHECKRESP`: report SERVFAIL, REFUSED and NOTIMP instead of trying another server.
    public var noCheckResponse: Bool
    /// `ARES_FLAG_IGNTC`: accept a truncated UDP reply as it is instead of retrying over TCP.
    public var ignoreTruncation: Bool
    /// `ARES_FLAG_USEVC`: send every query over TCP.
    public var useTCP: Bool

    public init(
        timeout: SimDuration = .milliseconds(5000), tries: Int = 4, rotate: Bool = false,
        noCheckResponse: Bool = false, ignoreTruncation: Bool = false, useTCP: Bool = false
    ) {
        self.timeout = timeout
        self.tries = tries
        self.rotate = rotate
        self.noCheckResponse = noCheckResponse
        self.ignoreTruncation = ignoreTruncation
        self.useTCP = useTCP
    }

    /// c-ares 1.18's defaults: 5000 ms, 4 tries, servers in order, no flags.
    public static let aresDefaults = StubResolverOptions()

    /// The timeout of attempt `attempt` (0-based) over `serverCount` servers:
    /// `timeout << (attempt / serverCount)`, as `ares__send_query` computes it.
    ///
    /// c-ares shifts an `int` of milliseconds and skips the shift when it would overflow 31 bits; for
    /// a whole-millisecond timeout this reproduces that exactly (so attempt 19 of a 5000 ms, one-server
    /// channel waits 5000 ms again). Sub-millisecond timeouts shift in nanoseconds with a 63-bit guard.
    public func attemptTimeout(attempt: Int, serverCount: Int) -> SimDuration {
        if attempt < serverCount { return timeout }  // the first round: no shift (and no division)
        let shift = attempt / max(serverCount, 1)
        let nanos = timeout.nanoseconds
        if nanos >= 0, nanos % 1_000_000 == 0, nanos / 1_000_000 <= Int64(Int32.max) {
            var millis = Int32(nanos / 1_000_000)
            if shift <= 31, millis >> Int32(31 - shift) == 0 { millis <<= Int32(shift) }
            return .milliseconds(Int64(millis))
        }
        if shift <= 63, nanos >= 0, nanos >> Int64(63 - shift) == 0 {
            return SimDuration(nanoseconds: nanos << Int64(shift))
        }
        return timeout
    }
}
