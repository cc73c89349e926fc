import ArgumentParser

/// `--runs` and `--workers`, shared by the commands that run a scenario with several seeds.
struct ParallelFlags: ParsableArguments {
    @Option(help: "Run this many seeds (Monte Carlo; run 1 uses the scenario's seed).")
    var runs: Int = 1

    @Option(help: "Threads (default: every core). The output does not depend on it.")
    var workers: Int?

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be at least 1, got \(runs)") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers)") }
    }
}
