public import SimKernel

/// Impact figures the press published for the US-EAST-1 event of 19–20 October 2025, to set beside simulated ones.
///
/// ```swift
/// let published = ImpactResults.published
/// let snapchat = published.reportsByService.first { $0.key == "snapchat" }   // 3,000,000, at least
/// ```
///
/// These are outcomes measured in the world, never model inputs (apart from calibrations said so where they are
/// used). All are marked [Q] in the facts file: quoted from press pages, not from AWS.
public struct PublishedImpact: Sendable, Hashable {
    /// Downdetector/Ookla: reports worldwide across the event.
    public var totalReports: Int
    /// Reports counted on the day.
    public var sameDayReports: Int
    /// Companies "knocked offline" (Metro).
    public var companiesAffected: Int
    /// People affected (Metro). Note: fewer than the reports, so it cannot be a count of distinct affected users.
    public var peopleAffected: Int
    /// "Lasting over 15 hours".
    public var duration: SimDuration
    /// Reports per service, as published, largest first; keys are ``AppSpec/name``s of ``AppSpec/namedApps``.
    public var reportsByService: [PublishedFigure]
    /// Reports per country, as published, largest first; keys are ISO 3166 alpha-2 codes.
    public var reportsByCountry: [PublishedFigure]
    /// How long apps took to recover by strategy: one API-monitoring company's estimate.
    public var recoveryBands: [PublishedRecoveryBand]
    /// Where the figures come from.
    public var source: String

    public init(
        totalReports: Int, sameDayReports: Int, companiesAffected: Int, peopleAffected: Int, duration: SimDuration,
        reportsByService: [PublishedFigure], reportsByCountry: [PublishedFigure], recoveryBands: [PublishedRecoveryBand],
        source: String
    ) {
        self.totalReports = totalReports
        self.sameDayReports = sameDayReports
        self.companiesAffected = companiesAffected
        self.peopleAffected = peopleAffected
        self.duration = duration
        self.reportsByService = reportsByService
        self.reportsByCountry = reportsByCountry
        self.recoveryBands = recoveryBands
        self.source = source
    }
}

/// One published count.
public struct PublishedFigure: Sendable, Hashable {
    /// The matching key in simulated results (an app name or a country code).
    public var key: String
    /// How the press named it.
    public var label: String
    public var value: Int
    /// `true` when published as "more than" (`3,000,000+`).
    public var atLeast: Bool

    public init(key: String, label: String, value: Int, atLeast: Bool) {
        self.key = key
        self.label = label
        self.value = value
        self.atLeast = atLeast
    }
}

/// A published recovery-time band for one strategy kind.
public struct PublishedRecoveryBand: Sendable, Hashable {
    public var strategy: StrategyKind
    /// `nil` when only an upper bound was given.
    public var lower: SimDuration?
    public var upper: SimDuration

    public init(strategy: StrategyKind, lower: SimDuration?, upper: SimDuration) {
        self.strategy = strategy
        self.lower = lower
        self.upper = upper
    }
}

extension ImpactResults {
    /// The press figures from the facts file (`facts/us-east-1-2025.md`, "Impact figures from the press").
    public static let published = PublishedImpact(
        totalReports: 17_000_000, sameDayReports: 6_500_000, companiesAffected: 3_900, peopleAffected: 16_000_000,
        duration: .hours(15),
        reportsByService: [
            PublishedFigure(key: "snapchat", label: "Snapchat", value: 3_000_000, atLeast: true),
            PublishedFigure(key: "aws", label: "AWS", value: 2_500_000, atLeast: true),
            PublishedFigure(key: "roblox", label: "Roblox", value: 716_000, atLeast: true),
            PublishedFigure(key: "amazon", label: "Amazon", value: 698_000, atLeast: true),
            PublishedFigure(key: "reddit", label: "Reddit", value: 397_000, atLeast: true),
            PublishedFigure(key: "ring", label: "Ring", value: 357_000, atLeast: true),
            PublishedFigure(key: "instructure", label: "Instructure", value: 265_000, atLeast: true),
            PublishedFigure(key: "fortnite", label: "Fortnite", value: 233_000, atLeast: false),
            PublishedFigure(key: "venmo", label: "Venmo", value: 185_000, atLeast: true),
            PublishedFigure(key: "canva", label: "Canva", value: 168_000, atLeast: true),
        ],
        reportsByCountry: [
            PublishedFigure(key: "US", label: "US", value: 6_300_000, atLeast: true),
            PublishedFigure(key: "GB", label: "UK", value: 1_500_000, atLeast: true),
            PublishedFigure(key: "DK", label: "Denmark", value: 774_000, atLeast: false),
            PublishedFigure(key: "NL", label: "Netherlands", value: 737_000, atLeast: true),
            PublishedFigure(key: "BR", label: "Brazil", value: 589_000, atLeast: false),
            PublishedFigure(key: "FR", label: "France", value: 587_000, atLeast: true),
            PublishedFigure(key: "AU", label: "Australia", value: 516_000, atLeast: true),
            PublishedFigure(key: "CA", label: "Canada", value: 475_000, atLeast: true),
            PublishedFigure(key: "IN", label: "India", value: 428_000, atLeast: true),
            PublishedFigure(key: "JP", label: "Japan", value: 368_000, atLeast: true),
        ],
        recoveryBands: [
            PublishedRecoveryBand(strategy: .automated, lower: .minutes(5), upper: .minutes(15)),
            PublishedRecoveryBand(strategy: .manual, lower: .minutes(20), upper: .minutes(90)),
            PublishedRecoveryBand(strategy: .none, lower: nil, upper: .hours(8)),
        ],
        source: """
            Downdetector/Ookla via the press: over 17 million reports worldwide, over 15 hours, 6.5 million the same \
            day; a Metro news article (Oct 2025): more than 3,900 companies knocked offline, 16,000,000 people \
            affected, reports per service and per country; recovery bands (automated failover 5–15 min, manual DR \
            20–90 min, others up to 8 h) quoted from one API-monitoring company. All [Q] in \
            facts/us-east-1-2025.md — press figures, not AWS's.
            """)
}
