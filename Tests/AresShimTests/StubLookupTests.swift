import AresShim
import DNSModel
import SimKernel
import Testing

@Suite struct StubLookupTests {
    static let factsOptions = StubResolverOptions(timeout: .milliseconds(200), tries: 2)

    @Test(arguments: Fault.allCases, [false, true])
    func factsTableRow(fault: Fault, noCheckResponse: Bool) {
        var options = Self.factsOptions
        options.noCheckResponse = noCheckResponse
        options.ignoreTruncation = fault.ignoreTruncation
        let run = ModelRunner(options: options, scripts: [fault.script(timeout: options.timeout)]).run()
        let expected = fault.expected(noCheckResponse: noCheckResponse)
        #expect(run.result.status == expected.status)
        #expect(run.result.udpQueriesSent == expected.udp)
        #expect(run.result.tcpQueriesSent == expected.tcp)
        #expect(run.result.queriesSent == expected.udp + expected.tcp)
        #expect(run.sends.count == run.result.queriesSent)
    }

    @Test func timingsOfTheFactsRows() {
        func elapsed(_ fault: Fault) -> SimDuration {
            ModelRunner(options: Self.factsOptions, scripts: [fault.script(timeout: .milliseconds(200))]).run().elapsed
        }
        #expect(elapsed(.noReply) == .milliseconds(600))
        #expect(elapsed(.garbage) == .milliseconds(600))
        #expect(elapsed(.lateReply) == .milliseconds(300))  // the late answer to attempt 1 is accepted
        #expect(elapsed(.portClosed) == .microseconds(200))  // two refused datagrams, 0.1 ms each
        #expect(elapsed(.answersA) == .milliseconds(1))
        #expect(elapsed(.servFail) == .milliseconds(2))
    }

    /// The measured totals to ARES_ETIMEOUT in the facts file (601 / 1403 / 1503 / 1203 ms measured).
    @Test(arguments: [
        (200, 2, 1, 600, [200, 400]),
        (200, 3, 1, 1400, [200, 400, 800]),
        (100, 4, 1, 1500, [100, 200, 400, 800]),
        (200, 2, 2, 1200, [200, 200, 400, 400]),
    ])
    func totalsToTimeout(timeout: Int, tries: Int, servers: Int, total: Int, timers: [Int]) {
        let options = StubResolverOptions(timeout: .milliseconds(Int64(timeout)), tries: tries)
        let silent = AresLoopback.ServerScript(udp: [.silent])
        let run = ModelRunner(options: options, scripts: Array(repeating: silent, count: servers)).run()
        #expect(run.result.status == .timeout)
        #expect(run.result.outcome == .timeout)
        #expect(run.elapsed == .milliseconds(Int64(total)))
        #expect(run.result.udpQueriesSent == tries * servers)
        var lookup = StubLookup(options: options, serverCount: servers)
        var armed: [Int] = []
        var actions = lookup.start()
        while !lookup.isFinished {
            guard case .armTimer(let after, let generation)? = actions.last else { break }
            armed.append(Int(after.nanoseconds / 1_000_000))
            actions = lookup.timerExpired(generation: generation)
        }
        #expect(armed == timers)
        #expect(lookup.timeouts == tries * servers)
    }

    @Test func defaultsAreCAresDefaults() {
        let options = StubResolverOptions()
        #expect(options == .aresDefaults)
        #expect(options.timeout == .milliseconds(5000))
        #expect(options.tries == 4)
        #expect(!options.rotate && !options.noCheckResponse && !options.ignoreTruncation && !options.useTCP)
        #expect(
            (0..<4).map { options.attemptTimeout(attempt: $0, serverCount: 1) }
                == [5, 10, 20, 40].map { SimDuration.seconds(Int64($0)) })
    }

    /// ares__send_query skips the doubling when it would overflow a 32-bit int of milliseconds.
    @Test func doublingStopsBeforeIntOverflow() {
        let options = StubResolverOptions()
        #expect(options.attemptTimeout(attempt: 18, serverCount: 1) == .milliseconds(5000 << 18))
        #expect(options.attemptTimeout(attempt: 19, serverCount: 1) == .milliseconds(5000))
        #expect(options.attemptTimeout(attempt: 5, serverCount: 3) == .milliseconds(10_000))
    }

    @Test func serversInOrderFromTheFirstServer() {
        let options = StubResolverOptions(timeout: .milliseconds(10), tries: 2)
        let silent = AresLoopback.ServerScript(udp: [.silent])
        let run = ModelRunner(options: options, scripts: [silent, silent, silent]).run(firstServer: 1)
        #expect(run.sends.map(\.server) == [1, 2, 0, 1, 2, 0])
        #expect(run.elapsed == .milliseconds(90))
    }

    @Test func servFailSkipsTheServerWhenThereAreOthers() {
        let options = StubResolverOptions(timeout: .milliseconds(100), tries: 2)
        let servFail = AresLoopback.ServerScript(udp: [.reply(after: .milliseconds(1)) { Replies.rcode($0, .servFail) }])
        let silent = AresLoopback.ServerScript(udp: [.silent])
        let run = ModelRunner(options: options, scripts: [servFail, silent]).run()
        // server 0 is skipped after its SERVFAIL; server 1 gets attempts 1 and 3 (100 + 200 ms).
        #expect(run.sends.map(\.server) == [0, 1, 1])
        #expect(run.result.status == .timeout)
        #expect(run.elapsed == .milliseconds(301))
    }

    @Test func servFailFromEveryServerEndsConnRefused() {
        let options = StubResolverOptions(timeout: .milliseconds(100), tries: 3)
        let servFail = AresLoopback.ServerScript(udp: [.reply(after: .milliseconds(1)) { Replies.rcode($0, .servFail) }])
        let run = ModelRunner(options: options, scripts: [servFail, servFail]).run()
        #expect(run.sends.map(\.server) == [0, 1])
        #expect(run.result.status == .connRefused)
        #expect(run.result.outcome == .connectionRefused)
        #expect(run.result.classification == nil)
    }

    @Test func aLateServFailFromAnEarlierServerOnlyMarksItSkipped() {
        var lookup = StubLookup(options: StubResolverOptions(timeout: .milliseconds(100), tries: 2), serverCount: 2)
        _ = lookup.start()
        let retry = lookup.timerExpired(generation: 1)
        #expect(retry.first == .send(server: 1, overTCP: false))
        #expect(lookup.receive(ResponseClassification(outcome: .servFail), from: 0, overTCP: false).isEmpty)
        // attempt 2 would be server 0, now skipped: straight to server 1 (attempt 3).
        let next = lookup.timerExpired(generation: 2)
        #expect(next.first == .send(server: 1, overTCP: false))
        #expect(lookup.attempt == 3)
    }

    /// A finished lookup's owner moves its result out once: the addresses come along, and the lookup stays finished
    /// with nothing left to take.
    @Test func takingTheResultLeavesAFinishedLookupEmpty() throws {
        var lookup = StubLookup(options: StubResolverOptions(timeout: .milliseconds(100), tries: 2), serverCount: 1)
        _ = lookup.start()
        let address = try #require(IPAddress("192.0.2.7"))
        _ = lookup.receive(ResponseClassification(outcome: .noError, addresses: [address]), from: 0, overTCP: false)
        #expect(lookup.isFinished && lookup.result?.status == .success)
        let taken = lookup.takeResult()
        #expect(taken?.classification?.addresses == [address] && taken?.queriesSent == 1)
        #expect(lookup.isFinished && lookup.result == nil && lookup.takeResult() == nil)
    }

    /// Servers 64 and up keep their flags out of line: skips and open sockets work there as below.
    @Test func serversBeyondTheFirst64AreSkippedAndHeardLikeTheOthers() {
        let options = StubResolverOptions(timeout: .milliseconds(10), tries: 2)
        var lookup = StubLookup(options: options, serverCount: 70, firstServer: 66)
        #expect(lookup.start().first == .send(server: 66, overTCP: false))
        // A SERVFAIL from the current server 66 skips it and moves on to 67.
        let next = lookup.receive(ResponseClassification(outcome: .servFail), from: 66, overTCP: false)
        #expect(next.first == .send(server: 67, overTCP: false))
        // Server 3 never had a socket open: its reply is not read.
        #expect(lookup.receive(ResponseClassification(outcome: .noError), from: 3, overTCP: false).isEmpty)
        #expect(!lookup.isFinished)
        // The round goes on past 69 to 0 … 65, then 66 is skipped in the second round.
        var sends: [Int] = [66, 67]
        var generation = 2
        var last: StubActions = []
        while sends.count < 141 {
            last = lookup.timerExpired(generation: generation)
            guard case .send(let server, _)? = last.first, case .armTimer(_, let armed)? = last.last else { break }
            sends.append(server)
            generation = armed
        }
        #expect(last == [.finish])
        #expect(!sends.dropFirst().contains(66))
        #expect(sends.count == 139)  // 2 × 70 attempts, but for the skipped one
        #expect(Set(sends).count == 70)
        #expect(lookup.result?.status == .timeout)
    }

    /// A copy of a lookup that spilled state (TCP generations, servers beyond 64) goes its own way.
    @Test func aCopiedLookupDoesNotShareItsSpilledState() {
        let options = StubResolverOptions(timeout: .milliseconds(100), tries: 3, useTCP: true)
        var original = StubLookup(options: options, serverCount: 70, firstServer: 65)
        _ = original.start()
        var copy = original
        // The copy's server 65 refuses its TCP connection (a new connection generation there); the original's does not.
        #expect(copy.connectionRefused(server: 65).first == .send(server: 66, overTCP: true))
        #expect(copy != original)
        // The original still waits on 65 and accepts its answer there.
        #expect(original.receive(ResponseClassification(outcome: .noError), from: 65, overTCP: true) == [.finish])
        #expect(original.result?.status == .success)
        // The copy does not: its connection to 65 is closed.
        #expect(copy.receive(ResponseClassification(outcome: .noError), from: 65, overTCP: true).isEmpty)
        #expect(!copy.isFinished)
        // Driving a fresh lookup the copy's way ends equal to the copy.
        var fresh = StubLookup(options: options, serverCount: 70, firstServer: 65)
        _ = fresh.start()
        _ = fresh.connectionRefused(server: 65)
        #expect(fresh == copy)
        #expect(fresh.hashValue == copy.hashValue)
    }

    @Test func staleTimersAndEventsAfterTheEndAreIgnored() {
        var lookup = StubLookup(options: StubResolverOptions(timeout: .milliseconds(100), tries: 2), serverCount: 1)
        #expect(lookup.receive(ResponseClassification(outcome: .noError), from: 0, overTCP: false).isEmpty)  // not started
        _ = lookup.start()
        _ = lookup.timerExpired(generation: 1)
        #expect(lookup.timerExpired(generation: 1).isEmpty)
        let answer = ResponseClassification(outcome: .noError, addresses: [.v4(IPv4Address(192, 0, 2, 1))], ttl: 60)
        let end = lookup.receive(answer, from: 0, overTCP: false)
        guard end.last == .finish, let result = lookup.result else {
            Issue.record("expected a finish, got \(end)")
            return
        }
        #expect(result.status == .success && result.classification == answer && result.udpQueriesSent == 2)
        #expect(lookup.isFinished && lookup.result == result)
        #expect(lookup.timerExpired(generation: 2).isEmpty)
        #expect(lookup.connectionRefused(server: 0).isEmpty)
        #expect(lookup.start().isEmpty)
    }

    @Test func droppedRepliesLeaveTheTimerRunning() {
        var lookup = StubLookup(options: StubResolverOptions(timeout: .milliseconds(100), tries: 1), serverCount: 1)
        _ = lookup.start()
        #expect(lookup.receive(ResponseClassification(outcome: .timeout, dropped: true), from: 0, overTCP: false).isEmpty)
        #expect(!lookup.isFinished)
        #expect(lookup.timerExpired(generation: 1) == [.finish])
        #expect(
            lookup.result
                == StubResult(status: .timeout, outcome: .timeout, classification: nil, udpQueriesSent: 1, tcpQueriesSent: 0))
    }

    /// With USEVC, next_server will not resend on the same TCP connection: one silent server is asked once.
    @Test func useTCPAsksASilentServerOncePerConnection() {
        let options = StubResolverOptions(timeout: .milliseconds(100), tries: 3, useTCP: true)
        let run = ModelRunner(options: options, scripts: [.init(udp: [.silent], tcp: [.silent])]).run()
        #expect(run.result.status == .timeout)
        #expect(run.result.tcpQueriesSent == 1 && run.result.udpQueriesSent == 0)
        #expect(run.elapsed == .milliseconds(100))
    }

    @Test func truncationMovesToTCPOnTheCurrentServerWithoutSpendingAnAttempt() {
        var lookup = StubLookup(options: StubResolverOptions(timeout: .milliseconds(100), tries: 2), serverCount: 2)
        _ = lookup.start()
        let actions = lookup.receive(ResponseClassification(outcome: .truncated), from: 0, overTCP: false)
        #expect(actions == [.send(server: 0, overTCP: true), .armTimer(after: .milliseconds(100), generation: 2)])
        #expect(lookup.usingTCP && lookup.attempt == 0)
        // A second TC (e.g. a late UDP copy) changes nothing once on TCP.
        #expect(lookup.receive(ResponseClassification(outcome: .truncated), from: 0, overTCP: false).isEmpty)
    }

    @Test func refusedTCPConnectSendsNoTCPQuery() {
        let options = StubResolverOptions(timeout: .milliseconds(100), tries: 4)
        let run = ModelRunner(options: options, scripts: [Fault.truncatedNoTCP.script(timeout: options.timeout)]).run()
        #expect(run.result.status == .connRefused)
        #expect(run.result.udpQueriesSent == 1 && run.result.tcpQueriesSent == 0)
        #expect(run.elapsed == .milliseconds(1))
    }
}
