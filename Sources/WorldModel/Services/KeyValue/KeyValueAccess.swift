/// How a service reaches the key-value endpoint.
///
/// A world implements this with DNS-dependent client connections: a caller whose connection is gone gets
/// `.unreachable`; the others are forwarded to a ``KeyValueService``. ``KeyValueService`` itself conforms, as an
/// endpoint every caller can always reach.
///
/// `completion` must be called exactly once. It may be called synchronously from `call` (callers must cope with
/// that) or later from a scheduled event.
public protocol KeyValueAccess: AnyObject {
    /// Sends one request of `cost` request units on behalf of `caller` (a small index chosen by the calling
    /// service, e.g. its worker slot, that the implementation maps to a connection).
    func call(from caller: Int, cost: Double, completion: @escaping (KeyValueCallResult) -> Void)
}
