public import DNSModel
public import SimKernel

/// An authoritative DNS server and the zones it serves.
public struct AuthoritySpec: Sendable {
    public var id: String
    public var zones: [Zone]
    /// Time the server takes to answer one query (processing, not network).
    public var processingTime: SimDuration

    public init(id: String, zones: [Zone], processingTime: SimDuration = .microseconds(100)) {
        self.id = id
        self.zones = zones
        self.processingTime = processingTime
    }
}
