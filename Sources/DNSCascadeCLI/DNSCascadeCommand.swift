import ArgumentParser
import DNSCascade
import Foundation

/// `dnscascade`: parses arguments and hands them to the `DNSCascade` pipeline. Exit 0 ok, 1 an expectation failed,
/// 2 usage or input error; machine output on stdout, diagnostics on stderr.
@main
struct DNSCascadeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dnscascade",
        abstract: "Simulate a faulty DNS update cascading through a regional cloud, in virtual time.",
        subcommands: [
            Replay.self, Run.self, Check.self, Explain.self, Compare.self, Report.self, SweepCommand.self, Merge.self,
            Validate.self, List.self, ServeDNS.self, Probe.self, BenchCommand.self,
        ]
    )

    /// Like `ParsableCommand.main()`, but usage errors exit with 2 (not 64) and help goes to stdout with 0.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            Console.exit(.ok)
        } catch let status as ExitCode {
            Foundation.exit(status.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                Console.out(fullMessage(for: error) + "\n")
                Console.exit(.ok)
            }
            Console.err(fullMessage(for: error) + "\n")
            Console.exit(.usageOrInputError)
        }
    }
}
