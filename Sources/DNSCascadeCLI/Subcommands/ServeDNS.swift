public import ArgumentParser
import DNSCascade
public import LiveDNS

/// `dnscascade serve-dns SCENARIO`: serves the scenario's DNS on a real socket while the model runs.
struct ServeDNS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-dns",
        abstract: "Serve a scenario's DNS on UDP and TCP while its clock runs, for dig, c-ares or a resolver.",
        discussion: """
            The zones are what the world model has produced by the current scenario time. Faults go on the wire as
            the scenario says. Stop with Ctrl-C (SIGINT) or SIGTERM.
              dnscascade serve-dns Scenarios/us-east-1-2025-10-20.yaml --port 5353 --speed 60
              dnscascade serve-dns Scenarios/us-east-1-2025-10-20.yaml --at 01:00
              dig @127.0.0.1 -p 5353 dynamodb.us-east-1.amazonaws.com
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(help: "UDP and TCP port (0 picks a free one).")
    var port: Int = 5353

    @Option(help: "Address to listen on (loopback unless given).")
    var listen: String = "127.0.0.1"

    @Option(help: "Scenario seconds per wall-clock second.")
    var speed: Double = 1

    @Option(help: ArgumentHelp("Freeze the zones at this scenario time.", valueName: "HH:MM[:SS]|+DURATION"))
    var at: String?

    @Option(help: ArgumentHelp("Start the clock at this scenario time.", valueName: "HH:MM[:SS]|+DURATION"))
    var from: String?

    @Option(help: "authoritative (the scenario's zones) or resolver (a caching resolver in front of them).")
    var mode: ServeDNSOptions.Mode = .authoritative

    @Option(help: "The scenario resolver whose settings --mode resolver uses (default: the first).")
    var resolver: String?

    @Option(help: "Queries per second accepted from one source address (default: unlimited on loopback, 1000 otherwise).")
    var rateLimit: Double?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    func validate() throws {
        if at != nil && from != nil { throw ValidationError("give --at (frozen) or --from (running), not both") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0...65535") }
        if let rateLimit, rateLimit <= 0 { throw ValidationError("--rate-limit must be positive") }
    }

    func run() throws {
        let loopback = listen == "127.0.0.1" || listen == "::1" || listen == "localhost"
        let server = LiveServerConfiguration(
            host: listen == "localhost" ? "127.0.0.1" : listen, port: port,
            rateLimitPerSource: rateLimit ?? (loopback ? nil : 1_000))
        let options = ServeDNSOptions(
            scenarioPath: file, overrides: overrides, server: server, speed: speed, at: at, from: from, mode: mode,
            resolverID: resolver)
        let session: ServeDNSSession
        do {
            session = try ServeDNSSession.start(options)
        } catch {
            Console.err("error: \(error.description)\n")
            throw Console.code(.usageOrInputError)
        }
        session.runUntilSignalled { Console.err($0) }
        throw Console.code(.ok)
    }
}

extension ServeDNSOptions.Mode: ExpressibleByArgument {}
