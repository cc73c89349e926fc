public import SimKernel

/// A quantity of one component sampled at a fixed step over the run (requests per second at a key-value endpoint,
/// a lease manager's goodput), for expectations on peaks and on how long a value stays low.
public struct SeriesResults: Sendable, Hashable {
    /// The component measured (`endpoint/dynamodb`, `service/dwfm`).
    public var component: ComponentID
    /// The series' name in expectations (`requests`, `goodput`).
    public var name: String
    /// What one value means (`requests arriving per second`).
    public var meaning: String
    /// Sample `i` covers `[start + i·step, start + (i+1)·step)`.
    public var start: SimTime
    public var step: SimDuration
    public var values: [Double]
    /// The series' usual level: its mean before the first injected fault (over the whole run if nothing is injected).
    public var normal: Double

    public init(
        component: ComponentID, name: String, meaning: String, start: SimTime = .zero, step: SimDuration,
        values: [Double], normal: Double
    ) {
        self.component = component
        self.name = name
        self.meaning = meaning
        self.start = start
        self.step = step
        self.values = values
        self.normal = normal
    }

    /// The time sample `index` starts at.
    public func time(at index: Int) -> SimTime { start + SimDuration(nanoseconds: step.nanoseconds * Int64(index)) }

    /// The highest sample that starts inside `window` (or anywhere when nil), with its time; nil if none does.
    public func peak(in window: ClosedRange<SimTime>?) -> (time: SimTime, value: Double)? {
        var best: (time: SimTime, value: Double)?
        for (index, value) in values.enumerated() {
            let time = time(at: index)
            if let window, !window.contains(time) { continue }
            if best == nil || value > best!.value { best = (time, value) }
        }
        return best
    }

    /// How long from `after` the series stays below `threshold` without interruption (zero if it is not below then).
    public func timeBelow(_ threshold: Double, after: SimTime) -> SimDuration {
        guard step > .zero else { return .zero }
        let first = max(0, Int((after - start).nanoseconds / step.nanoseconds))
        guard first < values.count else { return .zero }
        var index = first
        while index < values.count, values[index] < threshold { index += 1 }
        return index == first ? .zero : max(.zero, time(at: index) - after)
    }

    /// The mean of the samples that start before `end` (all samples when nil); 0 for none.
    public static func mean(of values: [Double], start: SimTime, step: SimDuration, before end: SimTime?) -> Double {
        var sum = 0.0
        var count = 0
        for (index, value) in values.enumerated() {
            if let end, start + SimDuration(nanoseconds: step.nanoseconds * Int64(index)) >= end { break }
            sum += value
            count += 1
        }
        return count == 0 ? 0 : sum / Double(count)
    }
}
