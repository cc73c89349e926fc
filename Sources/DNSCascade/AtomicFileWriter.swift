import Foundation

/// Writes a file atomically: the bytes go to a temporary file in the same directory, which is then renamed over the
/// destination. On any error the temporary file is removed and the destination is left as it was.
///
/// ```swift
/// try AtomicFileWriter.write(report.render(.json), to: "out/report.json")
/// ```
public enum AtomicFileWriter {
    /// Why the file could not be written.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): error: cannot write the output file: \(reason)" }
    }

    public static func write(_ text: String, to path: String) throws(WriteError) {
        let destination = URL(fileURLWithPath: path)
        let directory = destination.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw WriteError(path: path, reason: "the directory \(directory.path) does not exist")
        }
        if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDir), isDir.boolValue {
            throw WriteError(path: path, reason: "it is a directory")
        }
        let temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try Data(text.utf8).write(to: temporary, options: [.withoutOverwriting])
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: path, reason: (error as NSError).localizedDescription)
        }
        if rename(temporary.path, destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: path, reason: reason)
        }
    }
}
