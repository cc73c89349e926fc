import Foundation
import Synchronization

/// The progress file of a sweep that writes to a file: `<output>.partial`, the header line then one NDJSON record
/// per finished task, in completion order. A killed sweep resumes from it; a torn last line (the process died while
/// writing it) is cut off, so nothing corrupt is read back.
///
/// ```swift
/// let journal = try SweepJournal(output: "sweep.ndjson", header: header)
/// let records = try sweep.run(header: header, done: journal.done) { journal.append($0) }
/// try journal.finish(SweepFormat.ndjson.render(header, records))
/// ```
public final class SweepJournal: Sendable {
    public let path: String
    public let output: String
    /// Records finished by an earlier, interrupted run of the same sweep.
    public let done: [SweepRecord]
    private let handle: Mutex<FileHandle?>

    /// Opens (or starts) the journal beside `output`. A journal for a different sweep (another header) is an error.
    public init(output: String, header: SweepHeader) throws(DNSCascadeError) {
        self.output = output
        self.path = output + ".partial"
        let headerLine = SweepFormat.line(header)
        var done: [SweepRecord] = []
        let manager = FileManager.default
        if let data = manager.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self)
            guard text.hasPrefix(headerLine) else {
                throw .sweepFile(
                    "\(path): error: a partial sweep with different settings is in the way; delete it or choose another --output")
            }
            // Only lines that end in a newline were written whole.
            let complete = text.lastIndex(of: "\n").map { text[...$0] } ?? ""
            var seen = Set<Int>()
            for line in complete.dropFirst(headerLine.count).split(separator: "\n") {
                guard let record = SweepFormat.record(from: line), seen.insert(record.task).inserted else { continue }
                done.append(record)
            }
            let kept = headerLine + done.map(SweepFormat.line).joined()
            guard manager.createFile(atPath: path, contents: Data(kept.utf8)) else {
                throw .sweepFile("\(path): error: cannot rewrite the partial sweep")
            }
        } else {
            let directory = (output as NSString).deletingLastPathComponent
            guard manager.createFile(atPath: path, contents: Data(headerLine.utf8)) else {
                throw .sweepFile(
                    "\(path): error: cannot create the progress file (does the directory \(directory.isEmpty ? "." : directory) exist?)"
                )
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw .sweepFile("\(path): error: cannot open the progress file for writing")
        }
        handle.seekToEndOfFile()
        self.done = done.sorted { $0.task < $1.task }
        self.handle = Mutex(handle)
    }

    /// Appends one finished task (whole line, flushed to the file).
    public func append(_ record: SweepRecord) {
        handle.withLock { handle in
            handle?.write(Data(SweepFormat.line(record).utf8))
        }
    }

    /// Writes the complete output atomically and removes the journal.
    public func finish(_ text: String) throws(DNSCascadeError) {
        handle.withLock { handle in
            try? handle?.close()
            handle = nil
        }
        do {
            try AtomicFileWriter.write(text, to: output)
        } catch {
            throw .output(error)
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}
