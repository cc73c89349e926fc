import SimKernel

/// The health the customer apps see, read live from the simulated components their dependencies are bound to.
final class WorldDependencyHealth: DependencyHealth {
    private var sources: [String: () -> Double] = [:]

    func bind(_ dependency: String, to source: @escaping () -> Double) { sources[dependency] = source }

    func successRate(of dependency: String, at time: SimTime) -> Double { sources[dependency]?() ?? 1 }
}
