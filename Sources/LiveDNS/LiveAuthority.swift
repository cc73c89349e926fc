import AresShim
import Foundation
public import SimKernel
import Synchronization
public import WorldModel

/// The authoritative zone state a live server answers from, produced by the world model in virtual time.
///
/// Frozen: the world runs (as fast as it can) to an instant and its authorities' state is kept.
/// Running: the world runs on its own thread, paced so that virtual time advances `speed` × wall time from
/// `from`; every tick (10 ms of wall time) the state the model has reached is published.
///
/// ```swift
/// let authority = try LiveAuthority.frozen(spec: scenario.spec, at: SimTime.zero + .hours(2))
/// authority.snapshot.respond(to: question, overTCP: false, rng: &rng)
/// ```
///
/// Only the parts of the world that decide what the authorities serve are built (authorities, DNS management
/// planes, the faults and operator actions aimed at them): clients and services cannot change zone data.
public final class LiveAuthority: Sendable {
    /// The scenario's calendar (for display).
    public let clock: ScenarioClock
    /// The end of the scenario (virtual time).
    public let end: SimTime
    /// `0` when frozen, else virtual seconds per wall second.
    public let speed: Double

    private let state: Mutex<(snapshot: AuthoritySnapshot, generation: Int)>
    private let stopped = Atomic<Bool>(false)
    private let changes: Mutex<[String]>

    private init(spec: WorldSpec, snapshot: AuthoritySnapshot, speed: Double) {
        self.clock = spec.clock
        self.end = SimTime.zero + spec.duration
        self.speed = speed
        self.state = Mutex((snapshot, 0))
        self.changes = Mutex([])
    }

    /// The state the server answers from now.
    public var snapshot: AuthoritySnapshot { state.withLock { $0.snapshot } }

    /// The state and its generation, which changes whenever zone data or behaviour faults do (not when only the
    /// snapshot's time advances): answers cached for one generation stay valid while it lasts.
    public var current: (snapshot: AuthoritySnapshot, generation: Int) { state.withLock { $0 } }

    /// Describes what changed since the last call (one line per record set or fault change, in order).
    public func drainChanges() -> [String] {
        changes.withLock { lines in
            defer { lines = [] }; return lines
        }
    }

    /// Serves a given state (for tools and tests that drive the state themselves with ``replace(with:)``).
    public static func fixed(_ snapshot: AuthoritySnapshot, clock: ScenarioClock = .utc, end: SimTime) -> LiveAuthority {
        var spec = WorldSpec(name: "fixed", clock: clock, duration: end - .zero)
        spec.authorities = []
        return LiveAuthority(spec: spec, snapshot: snapshot, speed: 0)
    }

    /// Replaces the state served (frozen authorities only; a running one overwrites it on its next tick).
    public func replace(with snapshot: AuthoritySnapshot) {
        state.withLock { $0 = (snapshot, $0.generation + 1) }
    }

    /// Runs the world to `at` and keeps its authorities' state there.
    public static func frozen(spec: WorldSpec, at: SimTime) throws -> LiveAuthority {
        let world = try World(spec: authorityOnly(spec), classifier: AresResponseClassifier(memoizes: false))
        _ = world.run(until: at)
        return LiveAuthority(spec: spec, snapshot: world.authoritySnapshot(), speed: 0)
    }

    /// Runs the world to `from` at once, then on at `speed` × wall time on a thread of its own.
    /// Returns once the state at `from` is available.
    public static func running(spec: WorldSpec, from: SimTime, speed: Double) throws -> LiveAuthority {
        precondition(speed > 0, "speed must be positive")
        let pruned = authorityOnly(spec)
        // Build once here so that errors surface to the caller; the paced world is built on its own thread.
        let probe = try World(spec: pruned, classifier: AresResponseClassifier(memoizes: false))
        let live = LiveAuthority(spec: spec, snapshot: probe.authoritySnapshot(), speed: speed)
        let ready = DispatchSemaphore(value: 0)
        Thread.detachNewThread { live.pace(spec: pruned, from: from, ready: ready) }
        ready.wait()
        return live
    }

    /// Stops pacing (the background world then finishes its run without waiting, and is dropped).
    public func stop() { stopped.store(true, ordering: .relaxed) }

    /// Virtual time now: the snapshot's time.
    public var now: SimTime { snapshot.time }

    // MARK: - Pacing

    private func pace(spec: WorldSpec, from: SimTime, ready: DispatchSemaphore) {
        guard let world = try? World(spec: spec, classifier: AresResponseClassifier(memoizes: false)) else {
            ready.signal()
            return
        }
        let tickWall = 0.010
        let tick = SimDuration(nanoseconds: max(1, Int64(tickWall * speed * 1e9)))
        let start = max(from, .zero)
        var wallStart = 0.0
        var signalled = false
        var previous = snapshot
        func publish() {
            let next = world.authoritySnapshot()
            let lines = Self.describeChanges(from: previous, to: next, clock: clock)
            previous = next
            let changed = !lines.isEmpty
            state.withLock { $0 = (next, $0.generation + (changed ? 1 : 0)) }
            if !lines.isEmpty { changes.withLock { $0 += lines } }
        }
        func step() {
            if stopped.load(ordering: .relaxed) { return }
            let now = world.simulator.now
            let target = wallStart + Double((now - start).nanoseconds) / 1e9 / speed
            while !stopped.load(ordering: .relaxed) {
                let remaining = target - Self.wallSeconds()
                if remaining <= 0 { break }
                Thread.sleep(forTimeInterval: min(remaining, 0.05))
            }
            publish()
            if now + tick <= end { world.simulator.schedule(at: now + tick) { step() } }
        }
        world.simulator.schedule(at: start) {
            publish()
            wallStart = Self.wallSeconds()
            signalled = true
            ready.signal()
            if world.simulator.now + tick <= self.end { world.simulator.schedule(after: tick) { step() } }
        }
        _ = world.run()
        if !signalled { ready.signal() }
        if !stopped.load(ordering: .relaxed) { publish() }
    }

    static func wallSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The world without what cannot change zone data: no clients, services or apps; only the faults and
    /// operator actions aimed at authorities and DNS automation.
    public static func authorityOnly(_ spec: WorldSpec) -> WorldSpec {
        let authorityIDs = Set(spec.authorities.map(\.id))
        let automationIDs = Set(spec.managementPlanes.map(\.id))
        var pruned = WorldSpec(
            name: spec.name, summary: spec.summary, seed: spec.seed, clock: spec.clock, duration: spec.duration,
            authorities: spec.authorities, managementPlanes: spec.managementPlanes)
        pruned.faults = spec.faults.filter { fault in
            switch fault.target.kind {
            case .authority: authorityIDs.contains(fault.target.name)
            case .automation: automationIDs.contains(fault.target.name)
            default: false
            }
        }
        let keptFaults = Set(pruned.faults.map(\.id))
        pruned.operatorActions = spec.operatorActions.filter { action in
            switch action.action {
            case .endFault(let id): keptFaults.contains(id)
            case .restoreRecords, .setRecords: true
            case .repairAutomation(let id): automationIDs.contains(id)
            default: false
            }
        }
        return pruned
    }

    /// One line per record set whose content changed and per server whose active faults changed.
    static func describeChanges(from old: AuthoritySnapshot, to new: AuthoritySnapshot, clock: ScenarioClock) -> [String] {
        var lines: [String] = []
        let when = clock.format(new.time)
        for (index, server) in new.servers.enumerated() where index < old.servers.count {
            let before = old.servers[index]
            for (zoneIndex, zone) in server.zones.enumerated() where zoneIndex < before.zones.count {
                let previous = before.zones[zoneIndex]
                if previous == zone { continue }
                let names = Set(zone.names + previous.names).sorted()
                for name in names {
                    let types = Set((zone.records + previous.records).filter { $0.name == name }.map(\.type)).sorted()
                    for type in types {
                        let now = zone.records(named: name, type: type)
                        if now == previous.records(named: name, type: type) { continue }
                        let text =
                            now.isEmpty
                            ? (zone.nameExists(name) ? "no records (NODATA)" : "name gone (NXDOMAIN)")
                            : now.map { $0.data.presentation }.joined(separator: " ")
                        lines.append("\(when)  authority/\(server.id)  \(name) \(type) → \(text)")
                    }
                }
            }
            if server.activeFaults != before.activeFaults {
                let text = server.activeFaults.isEmpty ? "none" : server.activeFaults.joined(separator: ", ")
                lines.append("\(when)  authority/\(server.id)  behaviour faults: \(text)")
            }
        }
        return lines
    }
}
