public import SimKernel

/// The outcome of one call to the key-value service, as the caller sees it.
public enum KeyValueCallResult: Sendable, Hashable {
    /// Served; `latency` is from the call to the answer.
    case ok(latency: SimDuration)
    /// Rejected by the service's admission control (its queue was too long): a throttling error.
    case throttled
    /// The caller could not reach the service at all (for example, no connection because the endpoint's name
    /// did not resolve).
    case unreachable

    /// Whether the call was served.
    public var isOK: Bool {
        if case .ok = self { return true }
        return false
    }
}
