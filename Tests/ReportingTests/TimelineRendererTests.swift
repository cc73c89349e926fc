import SimKernel
import Testing
import WorldModel

@testable import Reporting

@Suite struct TimelineRendererTests {
    @Test func rendersFixedColumnsWithADateHeader() {
        let text = TimelineRenderer().render(Fixtures.results())
        let expected = """
            ── 2000-01-01 ──
            00:02:00 UTC  authority/ns1             fault f started: kv.example. A emptied
            00:02:00 UTC  resolver/r1               kv.example. A cached NODATA for 300s
            00:07:00 UTC  client/app                2/2 instances serving

            """
        #expect(text == expected)
    }

    @Test func printsADateHeaderWhenTheDayChangesInTheScenarioZone() {
        // 2025-10-19T23:48:00-07:00, displayed in PDT.
        let clock = ScenarioClock(startUnixSeconds: 1_760_942_880, utcOffsetSeconds: -25_200, zoneLabel: "PDT")
        let app = ComponentID(.client, "app")
        let entries = [
            TimelineEntry(time: .zero, component: app, kind: "lookups", detail: "first"),
            TimelineEntry(time: SimTime.zero + .minutes(11), component: app, kind: "lookups", detail: "still the 19th"),
            TimelineEntry(time: SimTime.zero + .minutes(12), component: app, kind: "lookups", detail: "midnight"),
            TimelineEntry(time: SimTime.zero + .hours(2) + .minutes(37), component: app, kind: "lookups", detail: "later"),
        ]
        let text = TimelineRenderer(componentWidth: 12).render(entries, clock: clock)
        let expected = """
            ── 2025-10-19 ──
            23:48:00 PDT  client/app    first
            23:59:00 PDT  client/app    still the 19th
            ── 2025-10-20 ──
            00:00:00 PDT  client/app    midnight
            02:25:00 PDT  client/app    later

            """
        #expect(text == expected)
    }

    @Test func longComponentsPushOnlyTheirOwnDetail() {
        let clock = ScenarioClock.utc
        let entry = TimelineEntry(
            time: .zero, component: ComponentID(.resolver, "a-very-long-resolver-name"), kind: "cache", detail: "x")
        #expect(
            TimelineRenderer(componentWidth: 8).line(for: entry, clock: clock)
                == "00:00:00 UTC  resolver/a-very-long-resolver-name  x")
    }

    @Test func emptyTimelineRendersNothing() {
        #expect(TimelineRenderer().render(Fixtures.results(timeline: [])) == "")
    }

    @Test func colourMarksFailureOutcomesOnlyWhenAskedFor() {
        let plain = TimelineRenderer().render(Fixtures.results())
        #expect(!plain.contains("\u{1B}["))
        let coloured = TimelineRenderer(color: true).render(Fixtures.results())
        #expect(coloured.contains("\u{1B}[31mNODATA\u{1B}[0m"))
        #expect(TimelineRenderer.colorOutcomes(in: "NOERROR and NODATAX") == "NOERROR and NODATAX")
        #expect(TimelineRenderer.colorOutcomes(in: "got ARES_ETIMEOUT.") == "got \u{1B}[31mARES_ETIMEOUT\u{1B}[0m.")
    }
}
