import SimKernel
import Testing

/// The simulator against a naive model: a plain array kept sorted by `(time, sequence)`.
///
/// Each trial drives both schedulers through the same random script (drawn from a seeded
/// ``RandomStream`` in execution order): initial events with many ties, events that schedule more
/// events (often at the current instant), cancellations of random events (pending, already run or
/// already cancelled) and a random driving mode (`runToCompletion`, `step`, `run(until:)`). Every
/// observation is written to a log and the two logs must be identical.
@Suite struct SimulatorDifferentialTests {
    @Test func matchesNaiveModelOverManyRandomSchedules() {
        var coverage = Coverage()
        for trial in 0..<2_000 {
            let seed = RandomStreams(seed: 0xD1FF).runSeed(trial)
            let expected = Script(seed: seed).run(on: NaiveScheduler())
            let actual = Script(seed: seed).run(on: SimulatorAdapter())
            if actual.log != expected.log {
                let shared = min(actual.log.count, expected.log.count)
                let index = (0..<shared).first { actual.log[$0] != expected.log[$0] } ?? shared
                let got = index < actual.log.count ? actual.log[index] : "<end>"
                let want = index < expected.log.count ? expected.log[index] : "<end>"
                Issue.record("trial \(trial) (seed \(seed)) diverged at log line \(index): got \(got), expected \(want)")
                return
            }
            coverage.add(actual)
        }
        // The script must actually exercise what it claims to.
        #expect(coverage.events > 50_000)
        #expect(coverage.ties > 20_000)
        #expect(coverage.successfulCancels > 5_000)
        #expect(coverage.refusedCancels > 5_000)
        #expect(coverage.modes == [0, 1, 2])
    }
}

// MARK: - The two schedulers under a common interface

private protocol Scheduler {
    var now: Int64 { get }
    var pendingCount: Int { get }
    var nextEventTime: Int64? { get }
    func schedule(at time: Int64, id: Int, _ action: @escaping () -> Void)
    func cancel(id: Int) -> Bool
    func isPending(id: Int) -> Bool
    func step() -> Bool
    func run(until limit: Int64)
    func runToCompletion()
}

private final class SimulatorAdapter: Scheduler {
    let sim = Simulator()
    var handles: [Int: EventHandle] = [:]

    var now: Int64 { sim.now.nanoseconds }
    var pendingCount: Int { sim.pendingEvents }
    var nextEventTime: Int64? { sim.nextEventTime?.nanoseconds }

    func schedule(at time: Int64, id: Int, _ action: @escaping () -> Void) {
        handles[id] = sim.schedule(at: SimTime(nanoseconds: time), action)
    }
    func cancel(id: Int) -> Bool { sim.cancel(handles[id]!) }
    func isPending(id: Int) -> Bool { sim.isPending(handles[id]!) }
    func step() -> Bool { sim.step() }
    func run(until limit: Int64) { sim.run(until: SimTime(nanoseconds: limit)) }
    func runToCompletion() { sim.runToCompletion() }
}

/// The reference: every entry kept in a sorted array; the next event is the first element.
private final class NaiveScheduler: Scheduler {
    struct Entry {
        var time: Int64
        var sequence: Int
        var id: Int
        var action: () -> Void
    }

    var entries: [Entry] = []
    var nextSequence = 0
    var now: Int64 = 0

    var pendingCount: Int { entries.count }
    var nextEventTime: Int64? { entries.first?.time }

    func schedule(at time: Int64, id: Int, _ action: @escaping () -> Void) {
        precondition(time >= now)
        let entry = Entry(time: time, sequence: nextSequence, id: id, action: action)
        nextSequence += 1
        let index = entries.firstIndex { (entry.time, entry.sequence) < ($0.time, $0.sequence) } ?? entries.count
        entries.insert(entry, at: index)
    }
    func cancel(id: Int) -> Bool {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return false }
        entries.remove(at: index)
        return true
    }
    func isPending(id: Int) -> Bool { entries.contains { $0.id == id } }
    func step() -> Bool {
        guard !entries.isEmpty else { return false }
        let entry = entries.removeFirst()
        now = entry.time
        entry.action()
        return true
    }
    func run(until limit: Int64) {
        while let next = entries.first?.time, next <= limit { _ = step() }
        now = max(now, limit)
    }
    func runToCompletion() { while step() {} }
}

// MARK: - The random script

private struct Outcome {
    var log: [String] = []
    var events = 0
    var ties = 0
    var successfulCancels = 0
    var refusedCancels = 0
    var mode = 0
}

private struct Coverage {
    var events = 0
    var ties = 0
    var successfulCancels = 0
    var refusedCancels = 0
    var modes: Set<Int> = []

    mutating func add(_ outcome: Outcome) {
        events += outcome.events
        ties += outcome.ties
        successfulCancels += outcome.successfulCancels
        refusedCancels += outcome.refusedCancels
        modes.insert(outcome.mode)
    }
}

private final class Script {
    var rng: RandomStream
    var issued = 0
    var budget = 0
    var lastRunTime: Int64 = -1
    var outcome = Outcome()

    init(seed: UInt64) { rng = RandomStream(seed: seed, label: "differential") }

    func run(on scheduler: some Scheduler) -> Outcome {
        budget = 20 + Int(rng.below(60))
        for _ in 0..<(1 + Int(rng.below(25))) {
            add(at: Int64(rng.below(12)), on: scheduler)
        }
        outcome.mode = Int(rng.below(3))
        switch outcome.mode {
        case 0:
            scheduler.runToCompletion()
        case 1:
            repeat {
                observe(scheduler)
                if rng.bernoulli(0.2) { cancelRandom(on: scheduler) }
            } while scheduler.step()
        default:
            // Bounded, so that a scheduler that miscounts pending events fails instead of hanging.
            for _ in 0..<1_000 where scheduler.pendingCount > 0 {
                let limit = scheduler.now + Int64(rng.below(6))
                scheduler.run(until: limit)
                observe(scheduler)
            }
            scheduler.run(until: scheduler.now + 3)
        }
        observe(scheduler)
        return outcome
    }

    private func add(at time: Int64, on scheduler: some Scheduler) {
        let id = issued
        issued += 1
        scheduler.schedule(at: time, id: id) { [unowned self] in self.fire(id, on: scheduler) }
    }

    private func fire(_ id: Int, on scheduler: some Scheduler) {
        let now = scheduler.now
        outcome.log.append("run \(id) at \(now)")
        outcome.events += 1
        if now == lastRunTime { outcome.ties += 1 }
        lastRunTime = now
        if issued < budget {
            for _ in 0..<rng.below(3) {
                let delay: Int64 = rng.bernoulli(0.4) ? 0 : Int64(rng.below(5))
                add(at: now + delay, on: scheduler)
            }
        }
        if rng.bernoulli(0.35) { cancelRandom(on: scheduler) }
        if rng.bernoulli(0.2) {
            let probe = Int(rng.below(UInt64(issued)))
            outcome.log.append("pending? \(probe) \(scheduler.isPending(id: probe))")
        }
    }

    private func cancelRandom(on scheduler: some Scheduler) {
        guard issued > 0 else { return }
        let target = Int(rng.below(UInt64(issued)))
        let cancelled = scheduler.cancel(id: target)
        outcome.log.append("cancel \(target) \(cancelled)")
        if cancelled { outcome.successfulCancels += 1 } else { outcome.refusedCancels += 1 }
    }

    private func observe(_ scheduler: some Scheduler) {
        let next = scheduler.nextEventTime.map(String.init) ?? "none"
        outcome.log.append("now \(scheduler.now) pending \(scheduler.pendingCount) next \(next)")
    }
}
