import SimKernel
import Testing
import WorldModel

@Suite("Key-value service: a FIFO fluid server with throttling")
struct KeyValueServiceTests {
    /// Offers Poisson arrivals at `load` × capacity for `duration` and returns the service afterwards.
    func offer(
        load: Double, duration: SimDuration, seed: UInt64 = 3, spec: KeyValueServiceSpec = .init(capacityPerSecond: 1_000)
    )
        -> (service: KeyValueService, results: [KeyValueCallResult])
    {
        let sim = Simulator()
        let service = KeyValueService(spec: spec, simulator: sim)
        var rng = RandomStreams(seed: seed).stream("kv-load")
        let box = ResultBox()
        let meanGap = 1 / (load * spec.capacityPerSecond)
        var time = SimTime.zero
        while true {
            time += .fractionalSeconds(rng.exponential(mean: meanGap))
            if time >= SimTime.zero + duration { break }
            sim.schedule(at: time) { service.handle { box.results.append($0) } }
        }
        sim.runToCompletion()
        return (service, box.results)
    }

    final class ResultBox {
        var results: [KeyValueCallResult] = []
    }

    @Test("a burst queues in order: latency = wait + service + base, and beyond maxQueueDelay it is throttled")
    func burst() {
        // 1 000 requests/s → 1 ms of service each; request k waits k ms; waits over 4 ms are rejected.
        let sim = Simulator()
        let spec = KeyValueServiceSpec(capacityPerSecond: 1_000, baseLatency: .milliseconds(5), maxQueueDelay: .milliseconds(4))
        let service = KeyValueService(spec: spec, simulator: sim)
        var answers: [(Int, SimTime, KeyValueCallResult)] = []
        for k in 0..<10 {
            service.handle { answers.append((k, sim.now, $0)) }
        }
        #expect(answers.isEmpty)  // never answered synchronously
        #expect(service.currentQueueDelay == .milliseconds(5))
        sim.runToCompletion()
        #expect(service.servedCount == 5)
        #expect(service.throttledCount == 5)
        #expect(service.peakRequestsPerSecond == 10)
        #expect(service.peakServedPerSecond == 5)
        let byRequest = answers.sorted { $0.0 < $1.0 }
        for k in 0..<5 {
            #expect(byRequest[k].2 == .ok(latency: .milliseconds(Int64(6 + k))))
            #expect(byRequest[k].1 == SimTime.zero + .milliseconds(Int64(6 + k)))
        }
        for k in 5..<10 {
            #expect(byRequest[k].2 == .throttled)
            #expect(byRequest[k].1 == SimTime.zero + .milliseconds(5))
        }
        #expect(service.maxLatency == .milliseconds(10))
        #expect(service.meanLatency == .milliseconds(8))
        #expect(service.loadHistory == [KeyValueLoadSample(second: 0, served: 5, throttled: 5)])
    }

    @Test("a request's cost is its share of capacity")
    func costScalesServiceTime() {
        let sim = Simulator()
        let service = KeyValueService(
            spec: KeyValueServiceSpec(capacityPerSecond: 1_000, baseLatency: .zero, maxQueueDelay: .seconds(1)), simulator: sim)
        var latencies: [SimDuration] = []
        service.handle(cost: 10) { if case .ok(let l) = $0 { latencies.append(l) } }
        service.handle(cost: 1) { if case .ok(let l) = $0 { latencies.append(l) } }
        sim.runToCompletion()
        #expect(latencies == [.milliseconds(10), .milliseconds(11)])
        #expect(service.servedCount == 2)
        #expect(service.servedUnits == 11)
        #expect(service.throttledUnits == 0)
    }

    @Test("mean latency rises with offered load; below capacity nothing is throttled")
    func latencyRisesWithLoad() throws {
        var means: [SimDuration] = []
        for load in [0.3, 0.6, 0.9] {
            let (service, results) = offer(load: load, duration: .seconds(120))
            #expect(service.throttledCount == 0)
            #expect(results.count == service.servedCount)
            means.append(try #require(service.meanLatency))
        }
        #expect(means[0] < means[1] && means[1] < means[2])
        // At 30 % load the wait is small against the 1 ms service: M/D/1 mean wait = ρ / (2 (1 − ρ)) ms ≈ 0.21 ms.
        #expect(means[0] > .milliseconds(6) && means[0] < .microseconds(6_500))
        // At 90 %: ≈ 4.5 ms of wait.
        #expect(means[2] > .milliseconds(8))
    }

    @Test("beyond capacity the service serves its capacity and throttles the rest, with bounded latency")
    func overloadThrottles() {
        let (service, _) = offer(load: 1.5, duration: .seconds(60))
        let offered = service.servedCount + service.throttledCount
        #expect(abs(Double(offered) - 90_000) < 90_000 * 0.02)
        #expect(abs(Double(service.servedCount) - 60_000) < 60_000 * 0.01)
        #expect(abs(Double(service.throttledCount) - 30_000) < 30_000 * 0.05)
        // Worst case: waited maxQueueDelay, then 1 ms of service, then the base latency.
        #expect(service.maxLatency <= .milliseconds(100 + 1 + 5))
        #expect(service.peakServedPerSecond <= 1_000 + 100)
        #expect(service.peakRequestsPerSecond > 1_300)
        let history = service.loadHistory
        #expect(history.count == 60)
        #expect(history.map(\.served).reduce(0, +) == service.servedCount)
        #expect(history.map(\.throttled).reduce(0, +) == service.throttledCount)
        #expect(history.map(\.second) == Array(0..<60))
    }

    @Test("the same arrivals give the same counts and history")
    func deterministic() {
        let first = offer(load: 1.2, duration: .seconds(30), seed: 9)
        let second = offer(load: 1.2, duration: .seconds(30), seed: 9)
        #expect(first.results == second.results)
        #expect(first.service.servedCount == second.service.servedCount)
        #expect(first.service.throttledCount == second.service.throttledCount)
        #expect(first.service.loadHistory == second.service.loadHistory)
    }

    @Test("direct access forwards every caller's request")
    func directAccess() {
        let sim = Simulator()
        let service = KeyValueService(spec: KeyValueServiceSpec(), simulator: sim)
        let access: any KeyValueAccess = service
        var results: [KeyValueCallResult] = []
        access.call(from: 3, cost: 2) { results.append($0) }
        sim.runToCompletion()
        #expect(results == [.ok(latency: .milliseconds(5) + .microseconds(20))])
        #expect(service.servedCount == 1)
    }

    @Test("spec problems are reported")
    func specProblems() {
        #expect(KeyValueServiceSpec().problems.isEmpty)
        #expect(KeyValueServiceSpec(capacityPerSecond: 0).problems.count == 1)
        #expect(KeyValueServiceSpec(baseLatency: .milliseconds(-1), maxQueueDelay: .milliseconds(-1)).problems.count == 2)
    }
}
