import AresShim
import DNSModel
import SimKernel

/// Runs the ``StubLookup`` model on a ``Simulator`` against the same server scripts the real channel
/// meets in ``AresLoopback``, classifying every scripted reply with ``AresResponseClassifier``.
struct ModelRunner {
    struct Run {
        var result: StubResult
        var elapsed: SimDuration
        var sends: [AresLoopback.Send]
    }

    var options: StubResolverOptions
    var scripts: [AresLoopback.ServerScript]
    var question: Question = Replies.question

    func run(firstServer: Int = 0) -> Run {
        let simulator = Simulator()
        let classifier = AresResponseClassifier(ignoresTruncation: options.ignoreTruncation)
        let queryID: UInt16 = 0x4242
        let query = Message.query(id: queryID, name: question.name, type: question.type)
        var lookup = StubLookup(options: options, serverCount: scripts.count, firstServer: firstServer)
        var udpCount = Array(repeating: 0, count: scripts.count)
        var tcpCount = Array(repeating: 0, count: scripts.count)
        var sends: [AresLoopback.Send] = []
        var finished: (StubResult, SimDuration)?

        // The closure re-enters itself through events; a class box lets it refer to the state.
        final class Apply { var body: (StubActions) -> Void = { _ in } }
        let apply = Apply()
        apply.body = { actions in
            for action in actions {
                switch action {
                case .send(let server, let overTCP):
                    if overTCP {
                        let step = scripts[server].tcpStep(tcpCount[server])
                        if case .refuse = step {
                            simulator.schedule(after: .zero) { apply.body(lookup.connectionRefused(server: server)) }
                            continue
                        }
                        tcpCount[server] += 1
                        sends.append(.init(server: server, overTCP: true, at: simulator.now.sinceStart))
                        if case .reply(let delay, let build) = step {
                            let bytes = build(query)
                            simulator.schedule(after: delay) {
                                let classification = classifier.classify(
                                    bytes, query: question, queryID: queryID, overTCP: true)
                                apply.body(lookup.receive(classification, from: server, overTCP: true))
                            }
                        }
                    } else {
                        let step = scripts[server].udpStep(udpCount[server])
                        udpCount[server] += 1
                        sends.append(.init(server: server, overTCP: false, at: simulator.now.sinceStart))
                        switch step {
                        case .silent:
                            break
                        case .portClosed(let delay):
                            simulator.schedule(after: delay) { apply.body(lookup.connectionRefused(server: server)) }
                        case .reply(let delay, let build):
                            let bytes = build(query)
                            simulator.schedule(after: delay) {
                                let classification = classifier.classify(bytes, query: question, queryID: queryID)
                                apply.body(lookup.receive(classification, from: server, overTCP: false))
                            }
                        }
                    }
                case .armTimer(let delay, let generation):
                    simulator.schedule(after: delay) { apply.body(lookup.timerExpired(generation: generation)) }
                case .finish:
                    finished = (lookup.result!, simulator.now.sinceStart)
                }
            }
        }
        apply.body(lookup.start())
        simulator.run(until: { finished != nil })
        // Break the cycles (the box's closure captures the box; queued events capture the simulator).
        apply.body = { _ in }
        simulator.runToCompletion()
        guard let (result, elapsed) = finished else { fatalError("the model never finished") }
        return Run(result: result, elapsed: elapsed, sends: sends)
    }
}
