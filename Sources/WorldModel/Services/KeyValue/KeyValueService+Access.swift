extension KeyValueService: KeyValueAccess {
    /// Direct access: every caller reaches the service (no connections, no DNS); the request is ``handle(cost:completion:)``.
    public func call(from caller: Int, cost: Double, completion: @escaping (KeyValueCallResult) -> Void) {
        handle(cost: cost, completion: completion)
    }
}
