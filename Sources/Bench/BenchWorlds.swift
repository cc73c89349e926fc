import AresShim
import DNSCascade
import DNSModel
public import SimKernel
public import WorldModel

/// The worlds the lookup and scaling benchmarks run: one authority, one caching resolver, one endpoint and one
/// client fleet, built in code. Nothing fails; the clients only churn connections (and, for the lookup benchmark,
/// also look the name up on a short period), so every lookup is a cache hit at the resolver answered with wire
/// bytes that c-ares classifies.
public enum BenchWorlds {
    /// `instances` clients each looking `kv.example.` up every `interval` (a background refresher), for `duration`.
    public static func lookupStorm(instances: Int, interval: SimDuration, duration: SimDuration) throws -> WorldSpec {
        var client = ClientSpec(
            id: "load", instances: instances, endpoint: "kv", resolvers: ["r1"],
            pool: PoolSpec(size: 1, maxConnectionAge: .hours(1)), lookupInterval: interval)
        client.resolverRTT = .milliseconds(1)
        return try world(name: "bench-lookups", duration: duration, client: client)
    }

    /// `clients` instances with one pooled connection each, aged out every 5 minutes (±20 %), for `duration`: each
    /// replacement is a lookup and a connection, so the work is proportional to the population.
    public static func population(clients: Int, duration: SimDuration) throws -> WorldSpec {
        let client = ClientSpec(
            id: "fleet", instances: clients, endpoint: "kv", resolvers: ["r1"],
            pool: PoolSpec(size: 1, maxConnectionAge: .minutes(5)))
        return try world(name: "bench-population", duration: duration, client: client)
    }

    private static func world(name: String, duration: SimDuration, client: ClientSpec) throws -> WorldSpec {
        let zone = try Zone(
            origin: try DomainName("example."),
            zoneText: """
                example. 900 IN SOA ns1.example. hostmaster.example. 1 7200 900 1209600 600
                kv.example. 3600 IN A 192.0.2.10
                kv.example. 3600 IN A 192.0.2.11
                """)
        return WorldSpec(
            name: name, seed: 1, duration: duration, authorities: [AuthoritySpec(id: "ns1", zones: [zone])],
            resolvers: [ResolverSpec(id: "r1")],
            endpoints: [
                EndpointSpec(
                    id: "kv", name: try DomainName("kv.example."),
                    serviceAddresses: [.v4(IPv4Address(192, 0, 2, 10)), .v4(IPv4Address(192, 0, 2, 11))])
            ],
            clients: [client])
    }
}
