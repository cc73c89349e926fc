/// One resource record: owner name, TTL and typed data (class IN unless stated).
///
/// Records are built in code or from zone-file text (see `init(zoneText:origin:defaultTTL:)`),
/// and ``description`` prints zone-file text that parses back to an equal record.
///
/// ```swift
/// let record = try ResourceRecord(zoneText: "kv.example. 60 IN A 192.0.2.10")
/// record.type          // .a
/// record.description   // "kv.example. 60 IN A 192.0.2.10"
/// ```
public struct ResourceRecord: Hashable, Sendable, CustomStringConvertible {
    public var name: DomainName
    public var ttl: UInt32
    public var data: RecordData
    /// The class; ``DNSClass/in`` for everything the model serves.
    public var dnsClass: DNSClass

    /// The type of ``data``.
    public var type: RecordType { data.type }

    public init(name: DomainName, ttl: UInt32, data: RecordData) {
        self.init(name: name, ttl: ttl, dnsClass: .in, data: data)
    }

    public init(name: DomainName, ttl: UInt32, dnsClass: DNSClass, data: RecordData) {
        self.name = name
        self.ttl = ttl
        self.dnsClass = dnsClass
        self.data = data
    }

    /// Zone-file text: `owner TTL CLASS TYPE RDATA`, with absolute names.
    public var description: String {
        "\(name) \(ttl) \(dnsClass) \(type) \(data.presentation)"
    }
}
