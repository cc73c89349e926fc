import SimKernel
import Testing

/// Parsing, formatting and arithmetic of ``SimDuration``.
@Suite struct SimDurationTests {
    static let valid: [(String, Int64)] = [
        ("0", 0),
        ("0s", 0),
        ("0ms", 0),
        ("1ns", 1),
        ("1us", 1_000),
        ("250ms", 250_000_000),
        ("1.5ms", 1_500_000),
        ("30s", 30_000_000_000),
        ("1.5s", 1_500_000_000),
        ("0.001s", 1_000_000),
        ("1.000000001s", 1_000_000_001),
        ("1.0000000000s", 1_000_000_000),
        ("5m", 300_000_000_000),
        ("1.25m", 75_000_000_000),
        ("1h30m", 5_400_000_000_000),
        ("1h0m1s", 3_601_000_000_000),
        ("0.5d", 43_200_000_000_000),
        ("2d", 172_800_000_000_000),
        ("1d2h3m4s5ms", 93_784_005_000_000),
        ("106751d", 106_751 * 86_400_000_000_000),
        ("9223372036854775807ns", .max),
    ]

    static let invalid: [String] = [
        "",  // nothing
        "5",  // a bare number other than 0
        "00",
        "1.5",
        "s",  // a unit without a number
        "ms",
        "-1s",  // negative
        "+1s",
        "1.s",  // a dot without fraction digits
        ".5s",  // a fraction without whole digits
        "1 s",  // spaces
        " 1s",
        "1s ",
        "1S",  // unknown or mis-cased units
        "1sec",
        "1x",
        "1e3s",
        "1,5s",
        "1h 30m",
        "1.0000000001s",  // finer than a nanosecond
        "1.5ns",
        "9223372036854775808ns",  // overflow in the number
        "106752d",  // overflow when scaled by the unit
        "106751d1d",  // overflow when adding components
        "\u{FF11}s",  // a non-ASCII digit
    ]

    @Test("parses valid spellings", arguments: valid)
    func parsesValidSpellings(text: String, nanoseconds: Int64) {
        #expect(SimDuration(parsing: text) == SimDuration(nanoseconds: nanoseconds), "\(text)")
    }

    @Test("rejects invalid spellings with nil", arguments: invalid)
    func rejectsInvalidSpellings(text: String) {
        #expect(SimDuration(parsing: text) == nil, "\(text) should be rejected")
    }

    static let formatted: [(Int64, String)] = [
        (0, "0s"),
        (1, "1ns"),
        (1_500, "1500ns"),
        (1_000, "1us"),
        (250_000_000, "250ms"),
        (1_000_000_000, "1s"),
        (60_500_000_000, "60500ms"),
        (90_000_000_000, "1m30s"),
        (5_400_000_000_000, "1h30m"),
        (3_661_000_000_000, "1h1m1s"),
        (172_800_000_000_000, "2d"),
        (86_405_000_000_000, "1d5s"),
        (-250_000_000, "-250ms"),
        (-90_000_000_000, "-1m30s"),
    ]

    @Test("formats as the shortest exact spelling", arguments: formatted)
    func formatsShortestSpelling(nanoseconds: Int64, text: String) {
        #expect(SimDuration(nanoseconds: nanoseconds).description == text)
    }

    @Test func nonNegativeDescriptionsRoundTripThroughParsing() throws {
        for (nanoseconds, _) in Self.formatted where nanoseconds >= 0 {
            let duration = SimDuration(nanoseconds: nanoseconds)
            #expect(SimDuration(parsing: duration.description) == duration)
        }
        var rng = RandomStream(seed: 2024, label: "duration-round-trip")
        let grains: [Int64] = [1, 1_000, 1_000_000, 1_000_000_000, 60_000_000_000]
        for _ in 0..<2_000 {
            let grain = grains[Int(rng.below(UInt64(grains.count)))]
            let magnitude = Int64(rng.below(UInt64(Int64.max / grain) + 1))
            // Mostly small values, sometimes anything up to the largest representable multiple.
            let count = rng.bernoulli(0.8) ? magnitude % 100_000 : magnitude
            let duration = SimDuration(nanoseconds: count * grain)
            let text = duration.description
            let parsed = try #require(SimDuration(parsing: text), "\(text) did not parse")
            #expect(parsed == duration, "\(duration.nanoseconds)ns was written \(text)")
        }
        #expect(SimDuration(parsing: SimDuration(nanoseconds: .max).description) == SimDuration(nanoseconds: .max))
    }

    @Test func parsedSpellingsFormatCanonically() {
        #expect(SimDuration(parsing: "90m")?.description == "1h30m")
        #expect(SimDuration(parsing: "1.5s")?.description == "1500ms")
        #expect(SimDuration(parsing: "0.5d")?.description == "12h")
        #expect(SimDuration(parsing: "0")?.description == "0s")
    }

    @Test func constructorsAgreeWithEachOther() {
        #expect(SimDuration.nanoseconds(7).nanoseconds == 7)
        #expect(SimDuration.microseconds(3).nanoseconds == 3_000)
        #expect(SimDuration.milliseconds(3).nanoseconds == 3_000_000)
        #expect(SimDuration.seconds(3).nanoseconds == 3_000_000_000)
        #expect(SimDuration.minutes(2) == .seconds(120))
        #expect(SimDuration.hours(2) == .minutes(120))
        #expect(SimDuration.zero.nanoseconds == 0)
        #expect(SimDuration.fractionalSeconds(1.5) == .milliseconds(1_500))
        #expect(SimDuration.fractionalSeconds(0.000_000_001_4) == .nanoseconds(1))
        #expect(SimDuration.fractionalSeconds(0.000_000_001_6) == .nanoseconds(2))
    }

    @Test func arithmetic() {
        let a = SimDuration.seconds(3)
        let b = SimDuration.milliseconds(500)
        #expect(a + b == .milliseconds(3_500))
        #expect(a - b == .milliseconds(2_500))
        #expect(b - a == .milliseconds(-2_500))
        #expect(b * 4 == .seconds(2))
        #expect(b << 3 == .seconds(4))
        #expect(SimDuration.seconds(1) << 0 == .seconds(1))
        #expect(a.scaled(by: 1.5) == .milliseconds(4_500))
        #expect(SimDuration.nanoseconds(3).scaled(by: 0.5) == .nanoseconds(2))  // 1.5 rounds away from zero
        #expect(SimDuration.nanoseconds(10).scaled(by: 0.24) == .nanoseconds(2))
        #expect(SimDuration.milliseconds(1_500).seconds == 1.5)
        #expect(SimDuration.milliseconds(1_999).wholeSeconds == 1)
        #expect(SimDuration.seconds(2).wholeSeconds == 2)
        // Rounded down, also below zero.
        #expect(SimDuration.milliseconds(-1_500).wholeSeconds == -2)
        #expect(SimDuration.seconds(-1).wholeSeconds == -1)
        #expect(SimDuration.nanoseconds(-1).wholeSeconds == -1)
    }

    @Test func comparisonAndEquality() {
        #expect(SimDuration.milliseconds(999) < .seconds(1))
        #expect(!(SimDuration.seconds(1) < .seconds(1)))
        #expect(SimDuration.seconds(1) <= .seconds(1))
        #expect(SimDuration.nanoseconds(-1) < .zero)
        #expect(SimDuration.minutes(1) == .seconds(60))
        #expect(SimDuration.minutes(1) != .seconds(61))
        let sorted = [SimDuration.hours(1), .nanoseconds(5), .seconds(-2), .zero].sorted()
        #expect(sorted == [.seconds(-2), .zero, .nanoseconds(5), .hours(1)])
        #expect(Set([SimDuration.seconds(60), .minutes(1), .seconds(1)]).count == 2)
    }
}
