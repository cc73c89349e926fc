import AresShim
import CAres
import DNSModel
import Testing

/// DNSModel's `AresStatus` constants must be the values in c-ares 1.18.1's `ares.h`.
@Suite struct AresStatusConstantsTests {
    static let table: [(AresStatus, Int32, String)] = [
        (.success, ARES_SUCCESS, "ARES_SUCCESS"),
        (.noData, ARES_ENODATA, "ARES_ENODATA"),
        (.formErr, ARES_EFORMERR, "ARES_EFORMERR"),
        (.servFail, ARES_ESERVFAIL, "ARES_ESERVFAIL"),
        (.notFound, ARES_ENOTFOUND, "ARES_ENOTFOUND"),
        (.notImp, ARES_ENOTIMP, "ARES_ENOTIMP"),
        (.refused, ARES_EREFUSED, "ARES_EREFUSED"),
        (.badQuery, ARES_EBADQUERY, "ARES_EBADQUERY"),
        (.badName, ARES_EBADNAME, "ARES_EBADNAME"),
        (.badFamily, ARES_EBADFAMILY, "ARES_EBADFAMILY"),
        (.badResp, ARES_EBADRESP, "ARES_EBADRESP"),
        (.connRefused, ARES_ECONNREFUSED, "ARES_ECONNREFUSED"),
        (.timeout, ARES_ETIMEOUT, "ARES_ETIMEOUT"),
        (.eof, ARES_EOF, "ARES_EOF"),
        (.file, ARES_EFILE, "ARES_EFILE"),
        (.noMem, ARES_ENOMEM, "ARES_ENOMEM"),
        (.destruction, ARES_EDESTRUCTION, "ARES_EDESTRUCTION"),
        (.badStr, ARES_EBADSTR, "ARES_EBADSTR"),
        (.badFlags, ARES_EBADFLAGS, "ARES_EBADFLAGS"),
        (.noName, ARES_ENONAME, "ARES_ENONAME"),
        (.badHints, ARES_EBADHINTS, "ARES_EBADHINTS"),
        (.notInitialized, ARES_ENOTINITIALIZED, "ARES_ENOTINITIALIZED"),
        (.loadIPHLPAPI, ARES_ELOADIPHLPAPI, "ARES_ELOADIPHLPAPI"),
        (.addrGetNetworkParams, ARES_EADDRGETNETWORKPARAMS, "ARES_EADDRGETNETWORKPARAMS"),
        (.cancelled, ARES_ECANCELLED, "ARES_ECANCELLED"),
        (.service, ARES_ESERVICE, "ARES_ESERVICE"),
    ]

    @Test func everyConstantMatchesTheHeader() {
        for (status, header, name) in Self.table {
            #expect(status.code == header, "\(name)")
            #expect(status.name == name)
        }
    }

    @Test func theTableCoversEveryCodeUpToService() {
        #expect(Self.table.map(\.1) == Array(0...ARES_ESERVICE))
    }

    @Test func codesBeyondTheHeaderGetANumericName() {
        #expect(AresStatus(code: ARES_ESERVICE + 1).name == "ARES_STATUS_26")
    }

    @Test func libraryVersionIs1181() {
        #expect(AresLibrary.version == "1.18.1")
        #expect(AresLibrary.versionNumber == 0x01_12_01)
        #expect(AresLibrary.ensureInitialized())
        #expect(AresLibrary.initializationStatus == .success)
    }
}
