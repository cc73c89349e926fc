extension AppSpec {
    /// The ten services the press counted reports for (facts file, "Impact figures from the press"), as parameters.
    ///
    /// ```swift
    /// let fleet = try AppFleet(named: AppSpec.namedApps, population: AppPopulationSpec(), health: world,
    ///                          simulator: sim, trace: bus, rng: streams.stream("apps"))
    /// ```
    ///
    /// Only inputs are given here; when each app fails, for how long, and how many reports it draws emerge in the run
    /// from its dependencies' health, its retries and its strategy.
    /// - **Users are calibrated**: `users = published reports / default propensity (0.01)`, so that an app failing
    ///   for hours (the report model saturates at `users × propensity`) can be set beside its published count; a
    ///   shorter or shallower simulated failure gives fewer. They read as "users active during the event", and are
    ///   magnitudes only (Snapchat 300 M).
    /// - **Paths** [U] follow the one mechanism the press names — users could load apps but not log in because login
    ///   state lived in DynamoDB — so every app has a login path on `dynamodb`; the rest of each app's traffic goes
    ///   through load balancers (`nlb`), and apps that scale out by launching instances (game servers, AWS's own
    ///   launch API) have a path on `ec2-launch`. Weights are assumptions.
    /// - **Strategy** ``ResilienceStrategy/none`` for all ten [U]: none is known to have failed over, and the press
    ///   reports each with problems for hours. A what-if can change it.
    /// - **Countries** [U]: rough shares of each service's audience, not published.
    public static let namedApps: [AppSpec] = [
        named(
            "snapchat",
            countries: [
                ("US", 0.40), ("GB", 0.10), ("FR", 0.09), ("NL", 0.03), ("DK", 0.03), ("AU", 0.05), ("CA", 0.05),
                ("IN", 0.05), ("other", 0.20),
            ],
            paths: [AppPath("login", ["dynamodb"], weight: 0.3), AppPath("messaging", ["dynamodb", "nlb"], weight: 0.7)]),
        named(
            "aws",
            countries: [
                ("US", 0.40), ("GB", 0.08), ("IN", 0.08), ("JP", 0.05), ("CA", 0.04), ("BR", 0.03), ("AU", 0.03),
                ("NL", 0.03), ("FR", 0.03), ("DK", 0.01), ("other", 0.22),
            ],
            paths: [
                AppPath("console-sign-in", ["dynamodb"], weight: 0.3), AppPath("api", ["dynamodb"], weight: 0.3),
                AppPath("launch", ["ec2-launch"], weight: 0.2), AppPath("load-balancing", ["nlb"], weight: 0.2),
            ]),
        named(
            "roblox",
            countries: [
                ("US", 0.45), ("GB", 0.08), ("BR", 0.07), ("CA", 0.05), ("AU", 0.05), ("FR", 0.03), ("NL", 0.02),
                ("DK", 0.01), ("other", 0.24),
            ],
            paths: [
                AppPath("login", ["dynamodb"], weight: 0.3), AppPath("play", ["nlb"], weight: 0.5),
                AppPath("game-servers", ["ec2-launch"], weight: 0.2),
            ]),
        named(
            "amazon",
            countries: [
                ("US", 0.55), ("GB", 0.12), ("IN", 0.08), ("JP", 0.06), ("CA", 0.05), ("FR", 0.03), ("AU", 0.02),
                ("NL", 0.02), ("BR", 0.02), ("other", 0.05),
            ],
            paths: [
                AppPath("sign-in", ["dynamodb"], weight: 0.3), AppPath("shop", ["nlb"], weight: 0.5),
                AppPath("checkout", ["dynamodb"], weight: 0.2),
            ]),
        named(
            "reddit",
            countries: [
                ("US", 0.50), ("GB", 0.08), ("CA", 0.07), ("AU", 0.05), ("IN", 0.04), ("NL", 0.02), ("FR", 0.02),
                ("BR", 0.02), ("DK", 0.01), ("other", 0.19),
            ],
            paths: [AppPath("login", ["dynamodb"], weight: 0.2), AppPath("browse", ["nlb"], weight: 0.8)]),
        named(
            "ring",
            countries: [("US", 0.70), ("GB", 0.12), ("CA", 0.07), ("AU", 0.04), ("other", 0.07)],
            paths: [AppPath("login", ["dynamodb"], weight: 0.3), AppPath("live-view", ["nlb"], weight: 0.7)]),
        named(
            "instructure",
            countries: [
                ("US", 0.65), ("AU", 0.07), ("CA", 0.06), ("GB", 0.05), ("NL", 0.05), ("BR", 0.03), ("other", 0.09),
            ],
            paths: [AppPath("login", ["dynamodb"], weight: 0.4), AppPath("courses", ["dynamodb", "nlb"], weight: 0.6)]),
        named(
            "fortnite",
            countries: [
                ("US", 0.40), ("GB", 0.10), ("FR", 0.07), ("BR", 0.07), ("CA", 0.05), ("AU", 0.05), ("NL", 0.03),
                ("DK", 0.02), ("JP", 0.02), ("other", 0.19),
            ],
            paths: [AppPath("login", ["dynamodb"], weight: 0.4), AppPath("matchmaking", ["ec2-launch", "nlb"], weight: 0.6)]),
        named(
            "venmo", countries: [("US", 1.0)],
            paths: [AppPath("login", ["dynamodb"], weight: 0.3), AppPath("payments", ["dynamodb", "nlb"], weight: 0.7)]),
        named(
            "canva",
            countries: [
                ("US", 0.30), ("AU", 0.12), ("GB", 0.08), ("BR", 0.08), ("IN", 0.08), ("FR", 0.04), ("CA", 0.04),
                ("JP", 0.03), ("NL", 0.02), ("DK", 0.01), ("other", 0.20),
            ],
            paths: [AppPath("login", ["dynamodb"], weight: 0.3), AppPath("editor", ["nlb"], weight: 0.7)]),
    ]

    /// A named app whose users are calibrated to its published report count at the default propensity.
    private static func named(_ name: String, countries: [(String, Double)], paths: [AppPath]) -> AppSpec {
        let reports = ImpactResults.published.reportsByService.first { $0.key == name }!.value
        return AppSpec(
            name: name, users: Int((Double(reports) / ReportingSpec().propensity).rounded()),
            usersByCountry: countries.map { CountryShare($0.0, $0.1) }, paths: paths)
    }
}
