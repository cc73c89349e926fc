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

/// `dnscascade explain`, end to end: the chain is printed, bad components and times are input errors.
@Suite struct ExplainCommandTests {
    @Test func explainPrintsTheChainAndRejectsBadInput() throws {
        let cli = try CommandRunner.locate()
        let dir = try ScenarioDirectory()
        try dir.write("tiny.yaml", Scenarios.tiny)
        let result = try cli.run(["explain", "tiny.yaml", "--component", "client/app", "--at", "10m"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("client/app at 2000-01-01 00:10:00 UTC:"))
        #expect(result.stdout.contains("← "))
        #expect(result.stdout.contains("fault f injected"))
        #expect(result.stdout.contains("(injected)"))
        for (arguments, fragment) in [
            (["--component", "client/nope", "--at", "5m"], "has no component client/nope"),
            (["--component", "app", "--at", "5m"], "is not kind/name"),
            (["--component", "client/app", "--at", "11m"], "outside the scenario"),
            (["--component", "client/app", "--at", "soon"], "is not a time"),
        ] {
            let bad = try cli.run(["explain", "tiny.yaml"] + arguments, in: dir.url)
            #expect(bad.status == 2, "\(arguments)")
            #expect(bad.stderr.contains(fragment), "\(bad.stderr)")
        }
    }
}
