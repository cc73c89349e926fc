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

    /// Writes `text` to the file `output` (atomically) or, without one, to stdout. A file that cannot be written is
    /// reported on stderr and ends the command with exit status 2.
    static func emit(_ text: String, to output: String?) throws {
        guard let output else {
            out(text)
            return
        }
        do {
            try AtomicFileWriter.write(text, to: output)
        } catch {
            err(error.description + "\n")
            throw code(.usageOrInputError)
        }
    }
}
