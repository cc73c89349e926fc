/// What a client's resolver library makes of one response datagram.
public struct ResponseClassification: Hashable, Sendable, CustomStringConvertible {
    /// noError, noData, nxDomain, servFail, refused, notImp, formErr, truncated, malformed; `.timeout` when dropped.
    public var outcome: LookupOutcome
    /// The library discards the datagram silently (shorter than 12 bytes, wrong ID, question not
    /// matching the query, undecodable question); the client keeps waiting.
    public var dropped: Bool
    /// For ``LookupOutcome/noError``: the addresses of the queried family, in answer order.
    public var addresses: [IPAddress]
    /// For ``LookupOutcome/noError``: the minimum TTL over the address records, each capped by the
    /// smallest CNAME TTL in the answer (what `ares_addrttl` reports).
    public var ttl: UInt32?
    /// For NODATA and NXDOMAIN: min(SOA record TTL, SOA MINIMUM) from the authority section (RFC 2308 §5); nil without an SOA.
    public var negativeTTL: UInt32?

    public init(
        outcome: LookupOutcome, dropped: Bool = false, addresses: [IPAddress] = [], ttl: UInt32? = nil,
        negativeTTL: UInt32? = nil
    ) {
        self.outcome = outcome
        self.dropped = dropped
        self.addresses = addresses
        self.ttl = ttl
        self.negativeTTL = negativeTTL
    }

    /// A silently discarded datagram.
    public static let droppedDatagram = ResponseClassification(outcome: .timeout, dropped: true)

    /// `"NOERROR [192.0.2.1] ttl=60"`, `"NXDOMAIN negttl=30"`, `"TIMEOUT (dropped)"`.
    public var description: String {
        var text = outcome.rfcName
        if dropped { text += " (dropped)" }
        if !addresses.isEmpty { text += " [" + addresses.map(\.description).joined(separator: ", ") + "]" }
        if let ttl { text += " ttl=\(ttl)" }
        if let negativeTTL { text += " negttl=\(negativeTTL)" }
        return text
    }
}

/// Classifies response bytes for a query. Implemented in pure Swift here and with c-ares in AresShim;
/// the world model only sees this protocol.
public protocol ResponseClassifier: AnyObject {
    /// Classifies one response datagram received for a query with `query` and `queryID`.
    func classify(_ response: UnsafeRawBufferPointer, query: Question, queryID: UInt16) -> ResponseClassification

    /// Classifies one response received over UDP (`overTCP` false) or TCP, where TC and the 512-byte UDP limit
    /// do not apply. The default treats both alike (right for classifiers that do not model the transport).
    func classify(_ response: UnsafeRawBufferPointer, query: Question, queryID: UInt16, overTCP: Bool) -> ResponseClassification
}

extension ResponseClassifier {
    public func classify(
        _ response: UnsafeRawBufferPointer, query: Question, queryID: UInt16, overTCP: Bool
    )
        -> ResponseClassification
    {
        classify(response, query: query, queryID: queryID)
    }

    /// Classifies one response datagram held in an array.
    public func classify(_ response: [UInt8], query: Question, queryID: UInt16) -> ResponseClassification {
        response.withUnsafeBytes { classify($0, query: query, queryID: queryID) }
    }
}
