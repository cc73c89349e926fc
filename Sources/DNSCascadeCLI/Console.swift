import ArgumentParser
import DNSCascade
import Foundation

/// Writes to stdout and stderr without buffering surprises at exit.
enum Console {
    static func out(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    static func err(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
    static func exit(_ status: ExitStatus) -> Never { Foundation.exit(status.rawValue) }

    /// The process environment (for `NO_COLOR`).
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Whether stdout is a terminal.
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// The exit code a subcommand throws after printing its diagnostics.
    static func code(_ status: ExitStatus) -> ExitCode { ExitCode(status.rawValue) }
}
