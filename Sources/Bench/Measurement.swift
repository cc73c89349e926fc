/// What one measured run cost and simulated: the unit of the replay and scaling benchmarks.
///
/// Measured in a fresh process (see ``BenchChild``) so that `maxResidentBytes` is that run's peak alone.
public struct Measurement: Sendable, Codable, Hashable {
    /// What ran (`replay`, or the number of clients of a scaling point).
    public var label: String
    /// Client instances simulated (0 when not applicable).
    public var clients: Int
    /// Wall time of load + build + run.
    public var wallSeconds: Double
    /// User + system CPU time: of the whole process up to the end of the run (replay), or of the build and run only
    /// (scaling points, so that process start-up does not flatten the small populations).
    public var cpuSeconds: Double
    /// The system (kernel) part of `cpuSeconds`: mostly clearing the pages the run touches first. In a virtual machine
    /// whose host takes back the memory its guests free, a run that is handed such pages also waits for the host to
    /// back them, and this part varies from run to run.
    public var systemSeconds: Double
    /// Peak resident set size of the process (see ``ResourceUsage/maxResidentBytes()``).
    public var maxResidentBytes: Int
    public var events: Int
    public var lookups: Int
    public var virtualSeconds: Double

    public init(
        label: String, clients: Int, wallSeconds: Double, cpuSeconds: Double, systemSeconds: Double = 0,
        maxResidentBytes: Int, events: Int, lookups: Int, virtualSeconds: Double
    ) {
        self.label = label
        self.clients = clients
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.systemSeconds = systemSeconds
        self.maxResidentBytes = maxResidentBytes
        self.events = events
        self.lookups = lookups
        self.virtualSeconds = virtualSeconds
    }
}
