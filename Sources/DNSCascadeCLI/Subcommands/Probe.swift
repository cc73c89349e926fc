public import ArgumentParser
import DNSCascade
import DNSModel
public import LiveDNS
import SimKernel

/// `dnscascade probe --server ADDR:PORT NAME`: measures a DNS server with a real c-ares channel.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look a name up with a real c-ares channel and print counts by c-ares status and latency percentiles.",
        discussion: """
              dnscascade probe --server 127.0.0.1:5353 dynamodb.us-east-1.amazonaws.com --rate 50 --duration 10s
            """
    )

    @Argument(help: "The name to look up.")
    var name: String

    @Option(help: ArgumentHelp("The server (IPv6 in brackets: [::1]:5353).", valueName: "ADDR:PORT"))
    var server: String = "127.0.0.1:53"

    @Option(help: "Record type (A or AAAA).")
    var type: String = "A"

    @Option(help: "Lookups started per second (default: one after another).")
    var rate: Double?

    @Option(help: ArgumentHelp("How long to keep starting lookups (e.g. 10s, 1m).", valueName: "DURATION"))
    var duration: String?

    @Option(help: "How many lookups (default 1 without --duration).")
    var count: Int?

    @Option(name: .customLong("timeout-ms"), help: "c-ares ARES_OPT_TIMEOUTMS.")
    var timeoutMilliseconds: Int = 5_000

    @Option(help: "c-ares ARES_OPT_TRIES.")
    var tries: Int = 4

    @Flag(name: .customLong("nocheckresp"), help: "Set ARES_FLAG_NOCHECKRESP (accept SERVFAIL/REFUSED answers).")
    var noCheckResponse = false

    @Flag(help: "Query over TCP only (ARES_FLAG_USEVC).")
    var tcp = false

    @Option(help: "text or json.")
    var format: ProbeReport.Format = .text

    func validate() throws {
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if timeoutMilliseconds < 1 { throw ValidationError("--timeout-ms must be at least 1") }
        if tries < 1 { throw ValidationError("--tries must be at least 1") }
        if let duration, SimDuration(parsing: duration) == nil { throw ValidationError("bad --duration '\(duration)'") }
    }

    func run() throws {
        guard let (host, port) = Self.split(server) else {
            Console.err("error: bad --server '\(server)': give ADDR:PORT, e.g. 127.0.0.1:5353 or [::1]:5353\n")
            throw Console.code(.usageOrInputError)
        }
        guard let recordType = RecordType(mnemonic: type.uppercased()), recordType == .a || recordType == .aaaa else {
            Console.err("error: --type must be A or AAAA\n")
            throw Console.code(.usageOrInputError)
        }
        let domain: DomainName
        do {
            domain = try DomainName(name.hasSuffix(".") ? name : name + ".")
        } catch {
            Console.err("error: bad name '\(name)': \(error)\n")
            throw Console.code(.usageOrInputError)
        }
        let options = ProbeOptions(
            host: host, port: port, question: Question(name: domain, type: recordType), rate: rate,
            duration: duration.flatMap { SimDuration(parsing: $0) }.map(\.seconds), count: count,
            timeoutMilliseconds: timeoutMilliseconds, tries: tries, noCheckResponse: noCheckResponse, useTCP: tcp)
        do {
            let report = try AresProbe(options).run()
            Console.out(report.render(format))
        } catch {
            Console.err("error: \(error.description)\n")
            throw Console.code(.usageOrInputError)
        }
        throw Console.code(.ok)
    }

    /// `127.0.0.1:5353`, `[::1]:5353` → address and port; the address must be an IP address.
    static func split(_ text: String) -> (String, Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (1...65535).contains(port), IPAddress(String(host)) != nil else { return nil }
        return (String(host), port)
    }
}

extension ProbeReport.Format: ExpressibleByArgument {}
