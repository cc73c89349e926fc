public import AresShim
public import DNSModel
public import SimKernel
public import WorldModel

/// What the model predicts for one c-ares lookup sent straight to the scenario's authority.
public struct ModelPrediction: Hashable, Sendable {
    /// The status c-ares reports, as ``StubLookup`` (c-ares 1.18's state machine, modelled) ends.
    public var status: AresStatus
    /// Queries that reached the server (UDP datagrams plus TCP messages on a connection that was not refused).
    public var queriesSent: Int
    /// Virtual time from the first send to the end of the lookup.
    public var latency: SimDuration
}

/// The simulation side of calibration: a ``StubLookup`` in virtual time against an ``AuthoritySnapshot``, with
/// the replies the live server would send (``LiveResponder``) classified by c-ares's own parsers
/// (``AresResponseClassifier``).
///
/// ```swift
/// let prediction = ModelProbe.predict(question, snapshot: snapshot, options: StubResolverOptions(timeout: .milliseconds(200), tries: 2))
/// ```
public enum ModelProbe {
    /// Runs one lookup to its end in virtual time (network round trips take no time; the server's processing time
    /// and injected latency do).
    public static func predict(
        _ question: Question, snapshot: AuthoritySnapshot, options: StubResolverOptions, seed: UInt64 = 1
    ) -> ModelPrediction {
        let simulator = Simulator()
        let classifier = AresResponseClassifier(ignoresTruncation: options.ignoreTruncation, memoizes: false)
        let responder = LiveResponder()
        var rng = RandomStream(seed: seed, label: "model-probe")
        var lookup = StubLookup(options: options, serverCount: 1)
        var result: StubResult?
        var finishedAt = SimTime.zero
        let queryID: UInt16 = 0x2B1D
        let query = (try? WireEncoder.encode(Message.query(id: queryID, name: question.name, type: question.type))) ?? []
        func handle(_ actions: StubActions) {
            for action in actions {
                switch action {
                case .send(let server, let overTCP):
                    let response = snapshot.respond(to: question, overTCP: overTCP, rng: &rng)
                    let reply = responder.reply(for: response, query: query, overTCP: overTCP, rng: &rng)
                    if reply.resetConnection {
                        simulator.schedule(after: .zero) { handle(lookup.connectionRefused(server: server)) }
                    } else if let bytes = reply.bytes {
                        simulator.schedule(after: response.delay) {
                            let classification = classifier.classify(bytes, query: question, queryID: queryID, overTCP: overTCP)
                            handle(lookup.receive(classification, from: server, overTCP: overTCP))
                        }
                    }
                case .armTimer(let after, let generation):
                    simulator.schedule(after: after) { handle(lookup.timerExpired(generation: generation)) }
                case .finish:
                    result = lookup.result
                    finishedAt = simulator.now
                }
            }
        }
        handle(lookup.start())
        simulator.run { result != nil }
        let final =
            result
            ?? StubResult(
                status: .timeout, outcome: .timeout, classification: nil, udpQueriesSent: 0, tcpQueriesSent: 0)
        return ModelPrediction(status: final.status, queriesSent: final.queriesSent, latency: finishedAt - .zero)
    }
}
