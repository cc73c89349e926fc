import DNSCascade

/// The tiny world of the docs, built in code: one authority, one resolver, two client instances, and a fault that
/// empties the endpoint's A record two minutes in.
enum TinyWorld {
    static func spec(seed: UInt64 = 1, withFault: Bool = true) throws -> WorldSpec {
        let origin = try DomainName("example.")
        let zone = try Zone(
            origin: origin,
            zoneText: """
                example. 3600 IN SOA ns1.example. h.example. 1 7200 900 1209600 300
                kv.example. 60 IN A 192.0.2.10
                """)
        let fault = FaultSpec(
            id: "f", at: SimTime.zero + .minutes(2), target: ComponentID(.authority, "ns1"),
            kind: .emptyRecords(name: try DomainName("kv.example."), type: .a))
        let expectation = ExpectationSpec(
            label: "fails after the fault", component: ComponentID(.client, "app"), metric: .firstFailure,
            bound: .timeBetween(SimTime.zero + .minutes(2), SimTime.zero + .minutes(10)), source: "TinyWorld.swift")
        return WorldSpec(
            name: "tiny-in-code", seed: seed, duration: .minutes(10),
            authorities: [AuthoritySpec(id: "ns1", zones: [zone])], resolvers: [ResolverSpec(id: "r1")],
            endpoints: [
                EndpointSpec(id: "kv", name: try DomainName("kv.example."), serviceAddresses: [.v4(IPv4Address(192, 0, 2, 10))])
            ],
            clients: [ClientSpec(id: "app", instances: 2, endpoint: "kv", resolvers: ["r1"])],
            faults: withFault ? [fault] : [], expectations: [expectation])
    }

    static let yaml = """
        # Tiny: one empty record.
        # The client fleet fails once the record is emptied.
        schema: dnscascade/v1
        name: tiny
        duration: 10m
        world:
          authorities: [{id: ns1, zones: [{origin: example., records: "example. 3600 IN SOA ns1.example. h.example. 1 7200 900 1209600 300\\nkv.example. 60 IN A 192.0.2.10"}]}]
          resolvers: [{id: r1}]
          endpoints: [{id: kv, name: kv.example., addresses: [192.0.2.10]}]
          clients: [{id: app, instances: 2, endpoint: kv, resolvers: [r1]}]
        faults: [{id: f, at: 2m, target: authority/ns1, emptyRecords: {name: kv.example., type: A}}]
        expect: [{component: client/app, firstFailure: {between: [2m, 10m]}}]

        """
}
