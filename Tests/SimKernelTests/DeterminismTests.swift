import SimKernel
import Testing

/// Same seed ⇒ byte-identical trace, for a small model built from the kernel's parts.
@Suite struct DeterminismTests {
    @Test func sameSeedGivesByteIdenticalTrace() {
        let first = ToyNetwork.trace(seed: 42)
        let second = ToyNetwork.trace(seed: 42)
        #expect(first == second)
        #expect(Array(first.utf8) == Array(second.utf8))
        // The trace is substantial and contains every kind of event.
        let lines = first.split(separator: "\n")
        #expect(lines.count > 100)
        for word in ["sent", "answered", "dropped", "timed-out", "client/a", "client/b", "client/c"] {
            #expect(first.contains(word), "trace has no \(word)")
        }
    }

    @Test func differentSeedGivesDifferentTrace() {
        let base = ToyNetwork.trace(seed: 42)
        #expect(ToyNetwork.trace(seed: 43) != base)
        #expect(ToyNetwork.trace(seed: 0) != base)
    }

    @Test func addingAComponentDoesNotShiftAnotherComponentsDraws() {
        func sends(of client: String, in trace: String) -> [Substring] {
            trace.split(separator: "\n").filter { $0.contains("sent \(client) ") }
        }
        let three = ToyNetwork.trace(seed: 9, clients: ["client/a", "client/b", "client/c"])
        let two = ToyNetwork.trace(seed: 9, clients: ["client/c", "client/a"])
        #expect(!sends(of: "client/a", in: three).isEmpty)
        #expect(sends(of: "client/a", in: three) == sends(of: "client/a", in: two))
        #expect(sends(of: "client/c", in: three) == sends(of: "client/c", in: two))
        #expect(three != two)
    }
}

/// Clients that send requests to one server over a lossy link; every component draws from its own stream.
private enum ToyNetwork {
    enum Event {
        case sent(client: String, request: Int)
        case dropped(client: String, request: Int)
        case answered(client: String, request: Int, latency: SimDuration)
        case timedOut(client: String, request: Int)
    }

    static func render(_ time: SimTime, _ event: Event) -> String {
        switch event {
        case .sent(let client, let request): "\(time) sent \(client) #\(request)"
        case .dropped(let client, let request): "\(time) dropped \(client) #\(request)"
        case .answered(let client, let request, let latency): "\(time) answered \(client) #\(request) in \(latency)"
        case .timedOut(let client, let request): "\(time) timed-out \(client) #\(request)"
        }
    }

    static func trace(seed: UInt64, clients labels: [String] = ["client/a", "client/b", "client/c"]) -> String {
        let sim = Simulator()
        let bus = TraceBus<Event>()
        var output = ""
        bus.subscribe { time, event in output += render(time, event) + "\n" }
        let streams = RandomStreams(seed: seed)
        let server = Server(sim: sim, bus: bus, rng: streams.stream("server/x"))
        let clients = labels.map { Client(label: $0, sim: sim, bus: bus, server: server, rng: streams.stream($0)) }
        for client in clients { client.start() }
        sim.run(until: SimTime.zero + .minutes(2))
        return output
    }

    final class Server {
        let sim: Simulator
        let bus: TraceBus<Event>
        var rng: RandomStream

        init(sim: Simulator, bus: TraceBus<Event>, rng: RandomStream) {
            self.sim = sim
            self.bus = bus
            self.rng = rng
        }

        func receive(_ request: Int, from client: Client) {
            if rng.bernoulli(0.1) {
                bus.publish(.dropped(client: client.label, request: request), at: sim.now)
                return
            }
            let latency =
                SimDuration.fractionalSeconds(rng.logNormal(median: 0.08, sigma: 0.6))
                + rng.duration(.zero, .milliseconds(5))
            sim.schedule(after: latency) { client.answer(request) }
        }
    }

    final class Client {
        let label: String
        let sim: Simulator
        let bus: TraceBus<Event>
        let server: Server
        var think: RandomStream
        var outstanding: [Int: (sentAt: SimTime, timeout: EventHandle)] = [:]
        var nextRequest = 0

        init(label: String, sim: Simulator, bus: TraceBus<Event>, server: Server, rng: RandomStream) {
            self.label = label
            self.sim = sim
            self.bus = bus
            self.server = server
            self.think = rng.split("think")
        }

        func start() {
            sim.schedule(after: .fractionalSeconds(think.exponential(mean: 1.0))) { self.send() }
        }

        func send() {
            let request = nextRequest
            nextRequest += 1
            bus.publish(.sent(client: label, request: request), at: sim.now)
            let timeout = sim.schedule(after: .milliseconds(200)) {
                self.outstanding[request] = nil
                self.bus.publish(.timedOut(client: self.label, request: request), at: self.sim.now)
            }
            outstanding[request] = (sim.now, timeout)
            server.receive(request, from: self)
            start()
        }

        func answer(_ request: Int) {
            guard let pending = outstanding.removeValue(forKey: request) else { return }  // too late
            sim.cancel(pending.timeout)
            bus.publish(.answered(client: label, request: request, latency: sim.now - pending.sentAt), at: sim.now)
        }
    }
}
