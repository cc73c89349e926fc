import AresShim
import DNSModel
import SimKernel
import Testing

/// The real c-ares 1.18 channel (fake sockets, virtual time) against the ``StubLookup`` model, on the
/// same scripts. c-ares's own timeouts run in real time, so these use 20 ms timeouts; a run that
/// stalled (see ``AresLoopback/Result/stalled``) is repeated with a longer timeout.
@Suite(.serialized) struct AresLoopbackTests {
    static let timeout = SimDuration.milliseconds(20)

    struct Comparison {
        var real: AresLoopback.Result
        var model: ModelRunner.Run
    }

    /// Runs `scripts(timeout)` on a real channel and on the model, retrying with ×4 timeouts on a stall.
    static func compare(
        _ options: StubResolverOptions, _ scripts: (SimDuration) -> [AresLoopback.ServerScript],
        question: Question = Replies.question
    ) throws -> Comparison {
        var options = options
        for _ in 0..<3 {
            let loop = try AresLoopback(options: options, servers: scripts(options.timeout))
            let real = loop.lookup(question)
            if !real.stalled {
                let model = ModelRunner(options: options, scripts: scripts(options.timeout), question: question).run()
                return Comparison(real: real, model: model)
            }
            options.timeout = options.timeout * 4
        }
        throw StalledError()
    }

    struct StalledError: Error {}

    static func expectAgreement(_ comparison: Comparison, sourceLocation: SourceLocation = #_sourceLocation) {
        let real = comparison.real
        let model = comparison.model
        #expect(real.status == model.result.status, sourceLocation: sourceLocation)
        #expect(real.udpQueriesSent == model.result.udpQueriesSent, sourceLocation: sourceLocation)
        #expect(real.tcpQueriesSent == model.result.tcpQueriesSent, sourceLocation: sourceLocation)
        #expect(real.sends.map(\.server) == model.sends.map(\.server), sourceLocation: sourceLocation)
        #expect(real.sends.map(\.overTCP) == model.sends.map(\.overTCP), sourceLocation: sourceLocation)
        // c-ares's timeouts are mapped to virtual time to the millisecond: allow 1 ms per timeout.
        let slack = Int64(real.timeouts + 1) * 1_000_000
        #expect(abs(real.elapsed.nanoseconds - model.elapsed.nanoseconds) <= slack, sourceLocation: sourceLocation)
    }

    @Test(arguments: Fault.allCases, [false, true])
    func factsTableRowAgreesWithTheRealChannel(fault: Fault, noCheckResponse: Bool) throws {
        let options = StubResolverOptions(
            timeout: Self.timeout, tries: 2, noCheckResponse: noCheckResponse, ignoreTruncation: fault.ignoreTruncation)
        let comparison = try Self.compare(options) { [fault.script(timeout: $0)] }
        Self.expectAgreement(comparison)
        let expected = fault.expected(noCheckResponse: noCheckResponse)
        #expect(comparison.real.status == expected.status)
        #expect(comparison.real.udpQueriesSent == expected.udp)
        #expect(comparison.real.tcpQueriesSent == expected.tcp)
    }

    @Test func answersCarryExactAddressesAndTTLs() throws {
        let comparison = try Self.compare(StubResolverOptions(timeout: Self.timeout, tries: 2)) { _ in
            [.init(udp: [.reply(after: .milliseconds(1)) { Replies.answer($0, ["192.0.2.7", "192.0.2.8"], ttl: 42) }])]
        }
        #expect(comparison.real.status == .success)
        #expect(comparison.real.addresses.map(\.description) == ["192.0.2.7", "192.0.2.8"])
        #expect(comparison.real.ttls == [42, 42])
        #expect(comparison.model.result.classification?.addresses == comparison.real.addresses)
        #expect(comparison.model.result.classification?.ttl == 42)
    }

    static let answer = AresLoopback.ServerScript(udp: [.reply(after: .milliseconds(1)) { Replies.answer($0) }])
    static let silent = AresLoopback.ServerScript(udp: [.silent])
    static let servFail = AresLoopback.ServerScript(udp: [.reply(after: .milliseconds(1)) { Replies.rcode($0, .servFail) }])

    enum Sequence: String, CaseIterable, Sendable {
        case servFailThenAnswer, silentThenAnswer, servFailThenSilent, bothServFail, portClosedThenAnswer
        case truncatedTCPRefusedThenTCPAnswer, lateServFailWhileSecondSilent, silentBoth, useTCPSilent
        case useTCPAnswer, threeServersFirstRefusedSecondSilent
    }

    static func scripts(_ sequence: Sequence, timeout: SimDuration) -> [AresLoopback.ServerScript] {
        switch sequence {
        case .servFailThenAnswer: return [servFail, answer]
        case .silentThenAnswer: return [silent, answer]
        case .servFailThenSilent: return [servFail, silent]
        case .bothServFail: return [servFail, servFail]
        case .portClosedThenAnswer: return [.init(udp: [.portClosed(after: .microseconds(100))]), answer]
        case .truncatedTCPRefusedThenTCPAnswer:
            return [
                Fault.truncatedNoTCP.script(timeout: timeout),
                .init(udp: [.silent], tcp: [.reply(after: .milliseconds(1)) { Replies.answer($0) }]),
            ]
        case .lateServFailWhileSecondSilent:
            return [.init(udp: [.reply(after: timeout.scaled(by: 1.5)) { Replies.rcode($0, .servFail) }]), silent]
        case .silentBoth: return [silent, silent]
        case .useTCPSilent: return [.init(udp: [.silent], tcp: [.silent])]
        case .useTCPAnswer: return [.init(udp: [.silent], tcp: [.reply(after: .milliseconds(1)) { Replies.answer($0) }])]
        case .threeServersFirstRefusedSecondSilent:
            return [
                .init(udp: [.reply(after: .milliseconds(1)) { Replies.rcode($0, .refused) }]), silent,
                .init(udp: [.reply(after: timeout.scaled(by: 1.5)) { Replies.nxDomain($0) }]),
            ]
        }
    }

    @Test(arguments: Sequence.allCases, [false, true])
    func multiServerSequenceAgrees(sequence: Sequence, noCheckResponse: Bool) throws {
        let options = StubResolverOptions(
            timeout: Self.timeout, tries: 2, noCheckResponse: noCheckResponse,
            useTCP: sequence == .useTCPSilent || sequence == .useTCPAnswer)
        let comparison = try Self.compare(options) { Self.scripts(sequence, timeout: $0) }
        Self.expectAgreement(comparison)
    }

    @Test func multiServerSequencesEndAsCAresDoes() throws {
        let options = StubResolverOptions(timeout: Self.timeout, tries: 2)
        func status(_ sequence: Sequence) throws -> (AresStatus, [Int]) {
            let real = try Self.compare(options) { Self.scripts(sequence, timeout: $0) }.real
            return (real.status, real.sends.map(\.server))
        }
        #expect(try status(.servFailThenAnswer) == (.success, [0, 1]))
        #expect(try status(.silentThenAnswer) == (.success, [0, 1]))
        #expect(try status(.servFailThenSilent) == (.timeout, [0, 1, 1]))
        #expect(try status(.bothServFail) == (.connRefused, [0, 1]))
        #expect(try status(.portClosedThenAnswer) == (.success, [0, 1]))
    }

    /// ARES_OPT_ROTATE: successive lookups on one channel start at successive servers (ares_send).
    @Test(arguments: [false, true])
    func rotationAcrossLookups(rotate: Bool) throws {
        let options = StubResolverOptions(timeout: Self.timeout, tries: 2, rotate: rotate)
        let loop = try AresLoopback(options: options, servers: [Self.answer, Self.answer, Self.answer])
        var firsts: [Int] = []
        for index in 0..<4 {
            let real = loop.lookup(Replies.question)
            #expect(real.status == .success)
            firsts.append(real.sends.first?.server ?? -1)
            let model = ModelRunner(options: options, scripts: [Self.answer, Self.answer, Self.answer])
                .run(firstServer: rotate ? index % 3 : 0)
            #expect(real.sends.map(\.server) == model.sends.map(\.server))
        }
        #expect(firsts == (rotate ? [0, 1, 2, 0] : [0, 0, 0, 0]))
    }

    /// The schedule itself: one and two silent servers, 2 and 3 tries (facts: 200+400, 200+200+400+400).
    @Test(arguments: [(1, 2), (1, 3), (2, 2)])
    func retryScheduleMatches(servers: Int, tries: Int) throws {
        let options = StubResolverOptions(timeout: .milliseconds(10), tries: tries)
        let comparison = try Self.compare(options) { _ in Array(repeating: Self.silent, count: servers) }
        Self.expectAgreement(comparison)
        #expect(comparison.real.status == .timeout)
        #expect(comparison.real.timeouts == servers * tries)
        #expect(comparison.real.udpQueriesSent == servers * tries)
    }

    @Test func aaaaLookupsParseWithTheAAAAParser() throws {
        let question = Question(name: Replies.name, type: .aaaa)
        let comparison = try Self.compare(
            StubResolverOptions(timeout: Self.timeout, tries: 1),
            { _ in
                [
                    .init(udp: [
                        .reply(after: .milliseconds(1)) { query in
                            Replies.encode(
                                query.response(rcode: .noError, answers: [Replies.record("kv.example. 30 IN AAAA 2001:db8::1")]))
                        }
                    ])
                ]
            }, question: question)
        Self.expectAgreement(comparison)
        #expect(comparison.real.addresses.map(\.description) == ["2001:db8::1"])
        #expect(comparison.real.ttls == [30])
        #expect(comparison.model.result.classification?.addresses == comparison.real.addresses)
    }

    /// A huge c-ares timeout ended by `ares_cancel` at a virtual deadline: no real waiting at all.
    @Test func cancelAtAVirtualDeadline() throws {
        let options = StubResolverOptions(timeout: .milliseconds(3_600_000), tries: 4)
        let loop = try AresLoopback(options: options, servers: [Self.silent])
        let cancelled = loop.lookup(Replies.question, deadline: .milliseconds(5_000))
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.elapsed == .milliseconds(5_000))
        #expect(cancelled.udpQueriesSent == 1)
        // An answer before the deadline is unaffected.
        loop.setServers([Self.answer])
        let answered = loop.lookup(Replies.question, deadline: .milliseconds(5_000))
        #expect(answered.status == .success && answered.elapsed == .milliseconds(1))
    }
}
