internal import CAres
public import DNSModel

/// The c-ares library this process links: its version and one-time global initialisation.
///
/// ```swift
/// AresLibrary.version        // "1.18.1"
/// AresLibrary.ensureInitialized()
/// ```
///
/// `ares_library_init` is not thread-safe in 1.18 and must run before the first channel is
/// created; ``ensureInitialized()`` runs it exactly once (through a lazily initialised global,
/// which Swift guards with a once-token) and is called by every type here that creates a channel
/// or calls a c-ares parser. The library is never cleaned up: `ares_library_cleanup` while another
/// thread still holds a channel would be unsafe, and the process exit releases everything.
public enum AresLibrary {
    /// The version string the linked library reports (`ares_version`), e.g. `"1.18.1"`.
    public static var version: String {
        String(cString: ares_version(nil))
    }

    /// The version as `0xMMmmpp` (`ares_version`'s numeric form), e.g. `0x011201` for 1.18.1.
    public static var versionNumber: Int {
        var number: Int32 = 0
        _ = ares_version(&number)
        return Int(number)
    }

    /// The status `ares_library_init(ARES_LIB_INIT_ALL)` returned (``AresStatus/success`` normally).
    public static var initializationStatus: AresStatus {
        AresStatus(code: libraryInitStatus)
    }

    /// Runs `ares_library_init(ARES_LIB_INIT_ALL)` once per process; later calls do nothing.
    @discardableResult
    public static func ensureInitialized() -> Bool {
        libraryInitStatus == ARES_SUCCESS
    }

    /// The human-readable message c-ares gives for a status (`ares_strerror`).
    public static func message(for status: AresStatus) -> String {
        String(cString: ares_strerror(status.code))
    }
}

/// Lazily initialised exactly once (Swift globals use `swift_once`), so concurrent first uses are safe.
private let libraryInitStatus: Int32 = ares_library_init(ARES_LIB_INIT_ALL)
