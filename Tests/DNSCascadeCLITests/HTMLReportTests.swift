import Foundation
import Testing

/// `dnscascade report`: one self-contained page that renders in a real headless Chromium without script errors, and
/// whose time slider changes the dependency graph.
@Suite struct HTMLReportTests {
    let cli: CommandRunner
    let dir: ScenarioDirectory

    init() throws {
        cli = try CommandRunner.locate()
        dir = try ScenarioDirectory()
        try dir.write("tiny.yaml", Scenarios.tiny)
    }

    /// Chromium from Debian (`chromium`), if installed; CI installs it and sets DNSCASCADE_REQUIRE_CHROMIUM=1.
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func thePageIsSelfContainedAndWrittenAtomically() throws {
        let result = try cli.run(["report", "tiny.yaml", "-o", "out.html", "--what-if", "clients.app.instances=4"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOf: dir.url.appendingPathComponent("out.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for external in ["src=\"http", "href=\"http", "<link", "@import", "url("] {
            #expect(!html.contains(external), "the page must not fetch anything: found \(external)")
        }
        #expect(html.contains("<svg id=\"graph\""))
        #expect(html.contains("<section id=\"what-if\">"))
        #expect(try dir.files() == ["out.html", "tiny.yaml"])
        let again = try cli.run(["report", "tiny.yaml", "--what-if", "clients.app.instances=4"], in: dir.url)
        #expect(again.stdout == html)
    }

    @Test func itRendersInHeadlessChromiumAndTheSliderChangesTheGraph() throws {
        guard let chromium = Self.chromium else {
            if ProcessInfo.processInfo.environment["DNSCASCADE_REQUIRE_CHROMIUM"] == "1" {
                Issue.record("chromium is required (DNSCASCADE_REQUIRE_CHROMIUM=1) but not installed")
            }
            return
        }
        let result = try cli.run(["report", "tiny.yaml", "-o", "out.html"], in: dir.url)
        #expect(result.status == 0)
        let page = dir.url.appendingPathComponent("out.html")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(dir.url.appendingPathComponent(".chromium").path)",
            "--dump-dom", page.absoluteString + "#selftest",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let selftest = dom.components(separatedBy: "id=\"selftest\">").dropFirst().first?.components(separatedBy: "<").first
        #expect(selftest?.hasPrefix("selftest: ok") == true, "\(selftest ?? "no selftest output: the script did not run")")
        #expect(selftest?.contains("script error") == false)
    }
}
