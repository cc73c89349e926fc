/// One vocabulary of lookup outcomes, used by the model, the c-ares mapping and the reports.
///
/// Swift cases in code (`.nxDomain`), RFC spellings in output (`NXDOMAIN`, ``rfcName``).
///
/// ```swift
/// LookupOutcome.servFail.rfcName                               // "SERVFAIL"
/// LookupOutcome.servFail.aresStatus()                          // ARES_ECONNREFUSED
/// LookupOutcome.servFail.aresStatus(noCheckResponse: true)     // ARES_ESERVFAIL
/// ```
public enum LookupOutcome: String, CaseIterable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// NOERROR with at least one address of the asked type.
    case noError
    /// NOERROR without an address of the asked type (RFC 2308 NODATA).
    case noData
    /// NXDOMAIN (RCODE 3).
    case nxDomain
    /// SERVFAIL (RCODE 2).
    case servFail
    /// REFUSED (RCODE 5).
    case refused
    /// NOTIMP (RCODE 4).
    case notImp
    /// FORMERR (RCODE 1).
    case formErr
    /// TC set (or a UDP reply over 512 bytes) and no TCP fallback.
    case truncated
    /// A response whose answer section cannot be parsed (c-ares `ARES_EBADRESP`).
    case malformed
    /// No usable reply before the client gave up.
    case timeout
    /// The server's port is closed (ICMP port unreachable).
    case connectionRefused

    /// The RFC-style spelling used in output: `"NOERROR"`, `"NODATA"`, `"NXDOMAIN"`, `"CONNREFUSED"`, ...
    public var rfcName: String {
        switch self {
        case .noError: return "NOERROR"
        case .noData: return "NODATA"
        case .nxDomain: return "NXDOMAIN"
        case .servFail: return "SERVFAIL"
        case .refused: return "REFUSED"
        case .notImp: return "NOTIMP"
        case .formErr: return "FORMERR"
        case .truncated: return "TRUNCATED"
        case .malformed: return "MALFORMED"
        case .timeout: return "TIMEOUT"
        case .connectionRefused: return "CONNREFUSED"
        }
    }

    /// The outcome whose ``rfcName`` is `name` (case-insensitive), e.g. from a scenario file.
    public init?(rfcName name: String) {
        let upper = name.uppercased()
        guard let match = LookupOutcome.allCases.first(where: { $0.rfcName == upper }) else { return nil }
        self = match
    }

    public var description: String { rfcName }

    /// Only ``noError`` is a success.
    public var isSuccess: Bool { self == .noError }

    /// The status a c-ares 1.18 client reports when every attempt ends this way (facts/c-ares.md).
    ///
    /// Without `ARES_FLAG_NOCHECKRESP`, c-ares treats SERVFAIL, REFUSED and NOTIMP as a server failure,
    /// moves on to the next server, and ends with `ARES_ECONNREFUSED`; with the flag it reports them
    /// as `ARES_ESERVFAIL`, `ARES_EREFUSED`, `ARES_ENOTIMP`. A truncated reply without TCP ends with
    /// `ARES_ECONNREFUSED` either way; an answer RR cut short gives `ARES_EBADRESP`; a dropped or
    /// missing reply gives `ARES_ETIMEOUT`.
    public func aresStatus(noCheckResponse: Bool = false) -> AresStatus {
        switch self {
        case .noError: return .success
        case .noData: return .noData
        case .nxDomain: return .notFound
        case .servFail: return noCheckResponse ? .servFail : .connRefused
        case .refused: return noCheckResponse ? .refused : .connRefused
        case .notImp: return noCheckResponse ? .notImp : .connRefused
        case .formErr: return .formErr
        case .truncated: return .connRefused
        case .malformed: return .badResp
        case .timeout: return .timeout
        case .connectionRefused: return .connRefused
        }
    }

    /// Declaration order: successes first, then negative answers, server errors, transport failures.
    public static func < (lhs: LookupOutcome, rhs: LookupOutcome) -> Bool {
        let all = LookupOutcome.allCases
        return all.firstIndex(of: lhs)! < all.firstIndex(of: rhs)!
    }
}
