/// A c-ares 1.18 status code, without importing c-ares (values from `ares.h`).
///
/// ```swift
/// AresStatus.connRefused.name    // "ARES_ECONNREFUSED"
/// AresStatus(code: 12) == .timeout // true
/// ```
public struct AresStatus: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The numeric status (`ARES_SUCCESS` = 0, `ARES_ENODATA` = 1, ...).
    public let code: Int32

    public init(code: Int32) { self.code = code }

    public static let success = AresStatus(code: 0)
    public static let noData = AresStatus(code: 1)
    public static let formErr = AresStatus(code: 2)
    public static let servFail = AresStatus(code: 3)
    public static let notFound = AresStatus(code: 4)
    public static let notImp = AresStatus(code: 5)
    public static let refused = AresStatus(code: 6)
    public static let badQuery = AresStatus(code: 7)
    public static let badName = AresStatus(code: 8)
    public static let badFamily = AresStatus(code: 9)
    public static let badResp = AresStatus(code: 10)
    public static let connRefused = AresStatus(code: 11)
    public static let timeout = AresStatus(code: 12)
    public static let eof = AresStatus(code: 13)
    public static let file = AresStatus(code: 14)
    public static let noMem = AresStatus(code: 15)
    public static let destruction = AresStatus(code: 16)
    public static let badStr = AresStatus(code: 17)
    public static let badFlags = AresStatus(code: 18)
    public static let noName = AresStatus(code: 19)
    public static let badHints = AresStatus(code: 20)
    public static let notInitialized = AresStatus(code: 21)
    public static let loadIPHLPAPI = AresStatus(code: 22)
    public static let addrGetNetworkParams = AresStatus(code: 23)
    public static let cancelled = AresStatus(code: 24)
    public static let service = AresStatus(code: 25)

    private static let names: [String] = [
        "ARES_SUCCESS", "ARES_ENODATA", "ARES_EFORMERR", "ARES_ESERVFAIL", "ARES_ENOTFOUND", "ARES_ENOTIMP",
        "ARES_EREFUSED", "ARES_EBADQUERY", "ARES_EBADNAME", "ARES_EBADFAMILY", "ARES_EBADRESP",
        "ARES_ECONNREFUSED", "ARES_ETIMEOUT", "ARES_EOF", "ARES_EFILE", "ARES_ENOMEM", "ARES_EDESTRUCTION",
        "ARES_EBADSTR", "ARES_EBADFLAGS", "ARES_ENONAME", "ARES_EBADHINTS", "ARES_ENOTINITIALIZED",
        "ARES_ELOADIPHLPAPI", "ARES_EADDRGETNETWORKPARAMS", "ARES_ECANCELLED",
        "ARES_ESERVICE",
    ]

    /// The C macro name (`"ARES_ENODATA"`), or `"ARES_STATUS_<code>"` for codes 1.18 does not define.
    public var name: String {
        if code >= 0 && Int(code) < AresStatus.names.count { return AresStatus.names[Int(code)] }
        return "ARES_STATUS_\(code)"
    }

    public var description: String { name }

    public static func < (lhs: AresStatus, rhs: AresStatus) -> Bool { lhs.code < rhs.code }
}
