import DNSCascade
import Dispatch
import Foundation
public import SimKernel
public import WorldModel

/// How `dnscascade serve-dns` runs.
public struct ServeDNSOptions: Sendable {
    /// Authoritative (the scenario's zones) or a caching recursive resolver in front of them.
    public enum Mode: String, Sendable, CaseIterable {
        case authoritative, resolver
    }

    public var scenarioPath: String
    public var overrides: [String]
    public var server: LiveServerConfiguration
    /// Scenario seconds per wall second while the clock runs.
    public var speed: Double
    /// Freeze the zones at this scenario time (`01:00`, `01:00:30`, `+2h`).
    public var at: String?
    /// Start the clock at this scenario time instead of the scenario start.
    public var from: String?
    public var mode: Mode
    /// The scenario resolver whose settings resolver mode takes (default: the first).
    public var resolverID: String?

    public init(
        scenarioPath: String, overrides: [String] = [], server: LiveServerConfiguration = LiveServerConfiguration(),
        speed: Double = 1, at: String? = nil, from: String? = nil, mode: Mode = .authoritative, resolverID: String? = nil
    ) {
        self.scenarioPath = scenarioPath
        self.overrides = overrides
        self.server = server
        self.speed = speed
        self.at = at
        self.from = from
        self.mode = mode
        self.resolverID = resolverID
    }
}

/// Why live serving could not start (the CLI exits 2 with the description).
public enum LiveDNSError: Error, Sendable, CustomStringConvertible {
    case scenario(String)
    case server(LiveServerError)
    case badOption(String)

    public var description: String {
        switch self {
        case .scenario(let text): text
        case .server(let error): error.description
        case .badOption(let text): text
        }
    }
}

/// `dnscascade serve-dns`: the scenario's DNS served on a real socket while the model runs.
///
/// ```swift
/// let session = try ServeDNSSession.start(ServeDNSOptions(scenarioPath: "Scenarios/us-east-1-2025-10-20.yaml", at: "01:00"))
/// print(session.server.port)
/// session.stop()
/// ```
public final class ServeDNSSession: Sendable {
    public let server: LiveDNSServer
    public let authority: LiveAuthority
    public let spec: WorldSpec
    public let options: ServeDNSOptions

    private init(server: LiveDNSServer, authority: LiveAuthority, spec: WorldSpec, options: ServeDNSOptions) {
        self.server = server
        self.authority = authority
        self.spec = spec
        self.options = options
    }

    /// Loads the scenario, brings the model to the start time and opens the sockets.
    public static func start(_ options: ServeDNSOptions) throws(LiveDNSError) -> ServeDNSSession {
        let spec: WorldSpec
        do {
            spec = try ScenarioPipeline(options: RunOptions(overrides: options.overrides)).load(.file(path: options.scenarioPath))
                .spec
        } catch {
            throw .scenario(error.description)
        }
        guard options.speed > 0, options.speed.isFinite else { throw .badOption("--speed must be a positive number") }
        let authority: LiveAuthority
        do {
            if let at = options.at {
                authority = try LiveAuthority.frozen(spec: spec, at: try ScenarioTime.parse(at, in: spec))
            } else {
                let from = try options.from.map { text throws(LiveDNSError) in try ScenarioTime.parse(text, in: spec) } ?? .zero
                authority = try LiveAuthority.running(spec: spec, from: from, speed: options.speed)
            }
        } catch let error as LiveDNSError {
            throw error
        } catch {
            throw .scenario("cannot build the world: \(error)")
        }
        let handler: any LivePacketHandler
        switch options.mode {
        case .authoritative:
            handler = AuthoritativePacketHandler(authority: authority)
        case .resolver:
            guard let resolver = options.resolverID.map({ id in spec.resolvers.first { $0.id == id } }) ?? spec.resolvers.first
            else {
                authority.stop()
                let known = spec.resolvers.map(\.id).joined(separator: ", ")
                throw .badOption(
                    "no resolver '\(options.resolverID ?? "")' in the scenario" + (known.isEmpty ? "" : " (known: \(known))"))
            }
            handler = LiveResolver(spec: resolver, authority: authority, speed: options.at == nil ? options.speed : 1)
        }
        do {
            let server = try LiveDNSServer.start(options.server, handler: handler)
            return ServeDNSSession(server: server, authority: authority, spec: spec, options: options)
        } catch {
            authority.stop()
            throw .server(error)
        }
    }

    /// One line saying what is served where.
    public var banner: String {
        let clock = spec.clock.format(authority.now)
        let timing =
            authority.speed == 0
            ? "zones frozen at \(clock)" : "scenario clock from \(clock) at \(formatSpeed(authority.speed))× wall time"
        return "serving \(spec.name) (\(options.mode.rawValue)) on \(server.host) port \(server.port) UDP+TCP; \(timing)"
    }

    /// Stops the model's clock and closes the sockets.
    public func stop() {
        authority.stop()
        server.shutdown()
    }

    /// Serves until SIGINT or SIGTERM, writing the zone changes the model makes (and the banner) to `log`.
    public func runUntilSignalled(log: @escaping @Sendable (String) -> Void) {
        log(banner + "\n")
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stop = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "serve-dns.signals")
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }
        for line in authority.drainChanges() { log(line + "\n") }
        while stop.wait(timeout: .now() + .milliseconds(200)) == .timedOut {
            for line in authority.drainChanges() { log(line + "\n") }
        }
        for source in sources { source.cancel() }
        self.stop()
        let counts = server.stats.current
        log(
            "stopped: \(counts.udpQueries) UDP and \(counts.tcpQueries) TCP queries, \(counts.replies) replies, "
                + "\(counts.rateLimited) rate-limited\n")
    }

    private func formatSpeed(_ speed: Double) -> String {
        speed == speed.rounded() ? String(Int(speed)) : String(speed)
    }
}

/// Scenario times on the command line.
public enum ScenarioTime {
    /// `HH:MM` or `HH:MM:SS` (the first such wall-clock time in the scenario's zone at or after its start), a
    /// duration from the start (`2h`, `+90m`) or an RFC 3339 time (``Scenario/time(_:)``). Must fall within the scenario.
    public static func parse(_ text: String, in spec: WorldSpec) throws(LiveDNSError) -> SimTime {
        do {
            return try Scenario(spec: spec, sourcePath: "", headerComment: "").time(text)
        } catch {
            throw .badOption(error.description)
        }
    }
}
