import Testing

@testable import DNSModel

@Suite struct LookupOutcomeTests {
    @Test(arguments: [
        (LookupOutcome.noError, "NOERROR"), (.noData, "NODATA"), (.nxDomain, "NXDOMAIN"), (.servFail, "SERVFAIL"),
        (.refused, "REFUSED"), (.notImp, "NOTIMP"), (.formErr, "FORMERR"), (.truncated, "TRUNCATED"),
        (.malformed, "MALFORMED"), (.timeout, "TIMEOUT"), (.connectionRefused, "CONNREFUSED"),
    ])
    func rfcNames(outcome: LookupOutcome, spelling: String) {
        #expect(outcome.rfcName == spelling)
        #expect(outcome.description == spelling)
        #expect(LookupOutcome(rfcName: spelling.lowercased()) == outcome)
        #expect(outcome.isSuccess == (outcome == .noError))
    }

    /// Every row of the facts/c-ares.md table that maps a server behaviour to a final status.
    @Test(arguments: [
        (LookupOutcome.noError, AresStatus.success, AresStatus.success),  // answers A
        (.nxDomain, .notFound, .notFound),  // NXDOMAIN
        (.noData, .noData, .noData),  // NOERROR, empty answer
        (.servFail, .connRefused, .servFail),  // SERVFAIL
        (.refused, .connRefused, .refused),  // REFUSED
        (.notImp, .connRefused, .notImp),  // NOTIMP
        (.formErr, .formErr, .formErr),  // FORMERR, no retry
        (.truncated, .connRefused, .connRefused),  // TC set, no TCP
        (.malformed, .badResp, .badResp),  // answer RR cut short
        (.timeout, .timeout, .timeout),  // dropped replies / no reply
        (.connectionRefused, .connRefused, .connRefused),  // UDP port closed
    ])
    func aresStatusMatchesTheFactsTable(outcome: LookupOutcome, plain: AresStatus, noCheck: AresStatus) {
        #expect(outcome.aresStatus() == plain)
        #expect(outcome.aresStatus(noCheckResponse: true) == noCheck)
    }

    @Test func aresStatusCodesAndNames() {
        #expect(AresStatus.success.code == 0 && AresStatus.success.name == "ARES_SUCCESS")
        #expect(AresStatus.noData.code == 1 && AresStatus.noData.name == "ARES_ENODATA")
        #expect(AresStatus.notFound.code == 4 && AresStatus.notFound.description == "ARES_ENOTFOUND")
        #expect(AresStatus.badResp.code == 10 && AresStatus.badResp.name == "ARES_EBADRESP")
        #expect(AresStatus.connRefused.code == 11 && AresStatus.connRefused.name == "ARES_ECONNREFUSED")
        #expect(AresStatus.timeout.code == 12 && AresStatus.timeout.name == "ARES_ETIMEOUT")
        #expect(AresStatus.cancelled.code == 24 && AresStatus.cancelled.name == "ARES_ECANCELLED")
        #expect(AresStatus(code: 16) == .destruction && AresStatus.destruction.name == "ARES_EDESTRUCTION")
        #expect(AresStatus(code: 99).name == "ARES_STATUS_99")
        #expect(AresStatus.noData < AresStatus.timeout)
    }

    @Test func orderAndDescriptions() {
        #expect(LookupOutcome.allCases.sorted() == LookupOutcome.allCases)
        #expect(LookupOutcome.noError < .connectionRefused)
        #expect(RecordType.aaaa.description == "AAAA")
        #expect(RecordType(rawValue: 65).description == "TYPE65")
        #expect(RecordType(mnemonic: "cname") == .cname)
        #expect(RecordType(mnemonic: "type65") == RecordType(rawValue: 65))
        #expect(RecordType(mnemonic: "nope") == nil)
        #expect(ResponseCode.nxDomain.description == "NXDOMAIN")
        #expect(ResponseCode(rawValue: 9).description == "RCODE9")
        #expect(DNSClass(mnemonic: "in") == .in && DNSClass(rawValue: 7).description == "CLASS7")
    }
}
