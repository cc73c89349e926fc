public import SimKernel

/// What customer apps can see of the regional services they call: the fraction of calls that succeed right now.
///
/// Apps never see DNS directly. The world wires this to its simulated services (the key-value endpoint, EC2
/// launches, the network load balancers); tests use a scripted double. Dependencies are named by short strings
/// (`"dynamodb"`, `"ec2-launch"`, `"nlb"`).
///
/// ```swift
/// final class AllHealthy: DependencyHealth {
///     func successRate(of dependency: String, at time: SimTime) -> Double { 1 }
/// }
/// ```
///
/// ``AppFleet`` asks once per dependency per tick, at the tick's virtual time, and treats the answer as constant until
/// the next tick. Values outside 0…1 are clamped; NaN counts as 0.
public protocol DependencyHealth: AnyObject {
    /// The fraction (0…1) of single attempts to call `dependency` that succeed at `time`.
    func successRate(of dependency: String, at time: SimTime) -> Double
}
