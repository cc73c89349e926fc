import SimKernel

extension World {
    /// The sampled quantities of a finished run, in a fixed order: key-value endpoints by id, then lease managers in
    /// scenario order.
    func series(until end: SimTime) -> [SeriesResults] {
        let firstFault = spec.faults.map(\.at).min()
        var result: [SeriesResults] = []
        for (endpoint, service) in keyValueServices.sorted(by: { $0.key < $1.key }) {
            let seconds = Int(max(0, (end - SimTime.zero).nanoseconds / 1_000_000_000))
            var requests = [Double](repeating: 0, count: seconds)
            var throttled = [Double](repeating: 0, count: seconds)
            for sample in service.loadHistory where sample.second >= 0 && sample.second < Int64(seconds) {
                requests[Int(sample.second)] = Double(sample.requests)
                throttled[Int(sample.second)] = Double(sample.throttled)
            }
            let id = ComponentID(.endpoint, endpoint)
            for (name, meaning, values) in [
                ("requests", "requests arriving per second", requests),
                ("throttled", "requests throttled per second", throttled),
            ] {
                result.append(
                    SeriesResults(
                        component: id, name: name, meaning: meaning, step: .seconds(1), values: values,
                        normal: SeriesResults.mean(of: values, start: .zero, step: .seconds(1), before: firstFault)))
            }
        }
        for (_, manager) in leaseManagers {
            let samples = manager.samples.filter { $0.time <= end }
            guard let first = samples.first else { continue }
            let goodput = samples.map { $0.demandPerMinute > 0 ? $0.goodputPerMinute / $0.demandPerMinute : 1 }
            for (name, meaning, values) in [
                ("goodput", "work completed in time, as a fraction of demand (per minute)", goodput),
                ("leases", "fraction of hosts holding a lease", samples.map(\.heldFraction)),
            ] {
                result.append(
                    SeriesResults(
                        component: manager.component, name: name, meaning: meaning, start: first.time, step: .minutes(1),
                        values: values,
                        normal: SeriesResults.mean(of: values, start: first.time, step: .minutes(1), before: firstFault)))
            }
        }
        return result
    }
}
