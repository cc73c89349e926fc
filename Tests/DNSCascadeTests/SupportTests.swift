import DNSCascade
import Foundation
import Testing

@Suite struct ColorModeTests {
    @Test func autoNeedsATerminalAndNoNO_COLOR() {
        #expect(ColorMode.auto.isEnabled(outputIsTerminal: true, environment: [:]))
        #expect(!ColorMode.auto.isEnabled(outputIsTerminal: false, environment: [:]))
        #expect(!ColorMode.auto.isEnabled(outputIsTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(ColorMode.auto.isEnabled(outputIsTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(ColorMode.always.isEnabled(outputIsTerminal: false, environment: ["NO_COLOR": "1"]))
        #expect(!ColorMode.never.isEnabled(outputIsTerminal: true, environment: [:]))
    }
}

@Suite struct AtomicFileWriterTests {
    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dnscascade-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func writesAndReplacesLeavingNothingElse() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.txt").path
        try AtomicFileWriter.write("first\n", to: path)
        try AtomicFileWriter.write("second\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.txt"])
    }

    @Test func failsCleanlyIntoAMissingDirectoryOrOverADirectory() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: AtomicFileWriter.WriteError.self) {
            try AtomicFileWriter.write("x", to: dir.appendingPathComponent("missing/out.txt").path)
        }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: false)
        #expect(throws: AtomicFileWriter.WriteError.self) {
            try AtomicFileWriter.write("x", to: dir.appendingPathComponent("sub").path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["sub"])
    }
}

@Suite struct ScenarioCatalogTests {
    @Test func listsYAMLFilesSortedWithNameAndHeaderLine() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dnscascade-catalog-\(UUID().uuidString)")
        let scenarios = root.appendingPathComponent("Scenarios")
        try FileManager.default.createDirectory(
            at: scenarios.appendingPathComponent("classroom"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try TinyWorld.yaml.write(to: scenarios.appendingPathComponent("classroom/b.yaml"), atomically: true, encoding: .utf8)
        try TinyWorld.yaml.replacing("name: tiny", with: "name: other").write(
            to: scenarios.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "# Broken\nschema: nope\n".write(
            to: scenarios.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        try "not a scenario".write(to: scenarios.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)

        // Found by walking up from an executable inside the tree, when nothing else applies.
        let catalog = ScenarioCatalog(
            environment: [:], currentDirectory: "/nonexistent-cwd",
            executablePath: root.appendingPathComponent(".build/debug/dnscascade").path)
        let dir = try #require(catalog.locate(explicit: nil))
        #expect(URL(fileURLWithPath: dir).standardizedFileURL.path == scenarios.resolvingSymlinksInPath().path)

        let entries = catalog.entries(in: scenarios.path)
        // Byte order of the path inside the directory: `c.yaml` sorts before `classroom/…`.
        #expect(entries.map(\.path) == ["a.yaml", "c.yaml", "classroom/b.yaml"].map { scenarios.path + "/" + $0 })
        #expect(entries.map(\.name) == ["other", nil, "tiny"])
        #expect(entries[0].summary == "Tiny: one empty record.")
        #expect(entries[1].summary == "Broken")
        #expect(entries[1].problem?.contains("c.yaml:") == true)
        #expect(entries[2].problem == nil)

        // The environment variable wins over walking up; an explicit directory wins over both.
        let env = ScenarioCatalog(
            environment: ["DNSCASCADE_SCENARIOS": scenarios.path], currentDirectory: "/", executablePath: "/x")
        #expect(env.locate(explicit: nil) == scenarios.path)
        #expect(env.locate(explicit: "/definitely/not/here") == nil)
    }
}
