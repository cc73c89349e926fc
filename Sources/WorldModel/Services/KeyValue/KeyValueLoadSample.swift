/// What a key-value service did during one second of virtual time (by arrival time of the requests).
public struct KeyValueLoadSample: Sendable, Hashable {
    /// The second since the start of the run: requests that arrived in `[second, second + 1)` seconds.
    public var second: Int64
    /// Requests served.
    public var served: Int
    /// Requests rejected with a throttling error.
    public var throttled: Int

    public init(second: Int64, served: Int = 0, throttled: Int = 0) {
        self.second = second
        self.served = served
        self.throttled = throttled
    }

    /// Requests offered (served plus throttled).
    public var requests: Int { served + throttled }
}
