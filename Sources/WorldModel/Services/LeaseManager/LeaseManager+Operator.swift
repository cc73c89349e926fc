extension LeaseManager {
    /// Admission control: at most `maxQueued` units of work (a renewal batch or one item's re-establishment) are in
    /// the pool at once, queued or being worked on. The rest wait outside, renewals first, and their timeout does not
    /// run until they are admitted. Work already in the pool stays there. Use at least ``LeaseManagerSpec/workers``,
    /// or workers stay idle.
    public func throttle(maxQueued: Int) {
        precondition(maxQueued >= 1, "maxQueued must be at least 1")
        admissionLimit = maxQueued
        publish(
            "throttle",
            "admission limited to \(maxQueued) units of work; \(admitted) in the pool, \(backlogLength) items waiting outside")
        pump()
    }

    /// Lifts admission control: everything waiting outside enters the queue now.
    public func clearThrottle() {
        admissionLimit = nil
        publish("throttle", "admission control lifted; \(backlogLength) items enter the queue")
        pump()
    }

    /// Restarts the manager's hosts: all pending work is dropped — queued, waiting outside and in progress (its
    /// key-value answers are ignored). The items start afresh, with fresh timeouts, when they next come due.
    /// Leases are not touched.
    public func restartHosts() {
        let dropped = dropAllWork()
        publish("restart", "hosts restarted; \(dropped) items of pending work dropped")
        pump()
    }
}
