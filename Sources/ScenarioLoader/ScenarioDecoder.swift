import AresShim
import DNSModel
import SimKernel
import WorldModel

/// Turns a composed node tree into a validated ``WorldSpec``, reporting every problem it finds.
struct ScenarioDecoder {
    static let schema = "dnscascade/v1"
    static let topKeys = [
        "schema", "name", "summary", "seed", "start", "timeZone", "duration", "end", "world", "faults", "operators", "expect",
        "golden", "limits",
    ]
    static let worldKeys = [
        "authorities", "automation", "resolvers", "endpoints", "clients", "leaseManagers", "launches", "apps",
    ]

    let context: DecodeContext
    var clock = ScenarioClock.utc
    /// The `golden` key: a timeline file name, relative to the scenario file.
    var golden: String?
    /// The run length; `nil` until known (times are then not range-checked).
    var duration: SimDuration?
    var authorities: [AuthoritySpec] = []
    var resolvers: [ResolverSpec] = []
    var endpoints: [EndpointSpec] = []
    var clients: [ClientSpec] = []
    var planes: [ManagementPlaneSpec] = []
    var leaseManagers: [LeaseManagerBinding] = []
    var launchServices: [LaunchServiceBinding] = []
    var apps: AppsBinding?
    var faults: [FaultSpec] = []

    init(context: DecodeContext) {
        self.context = context
    }

    /// Decodes the whole document; `nil` when anything was wrong (the context holds the diagnostics).
    mutating func decode(_ root: YAMLNode) -> WorldSpec? {
        let top = Fields(root, .root, context, allowed: Self.topKeys)
        checkSchema(top)
        let name = top.require("name").flatMap { context.string($0, KeyPath.root.key("name")) }
        if let name, name.isEmpty { context.error(top.keyMark("name"), KeyPath.root.key("name"), "must not be empty") }
        let summary = top.read("summary", "") { context.string($0, $1) }
        golden = top.take("golden").flatMap { node -> String? in
            guard let text = context.string(node, KeyPath.root.key("golden")) else { return nil }
            if text.isEmpty || text.hasPrefix("/") || text.split(separator: "/").contains("..") {
                context.error(
                    node.mark, KeyPath.root.key("golden"),
                    "expected a file name beside the scenario (no '/' at the start, no '..'), found '\(text)'")
                return nil
            }
            return text
        }
        let seed = top.read("seed", UInt64(1)) { context.uint64($0, $1) }
        decodeClock(top)
        let limits = top.take("limits").map { decodeLimits($0, KeyPath.root.key("limits")) } ?? WorldLimits()

        let world = top.require("world").map { Fields($0, KeyPath.root.key("world"), context, allowed: Self.worldKeys) }
        if let world {
            authorities = elements(world, "authorities") { decodeAuthority($0, $1) }
            resolvers = elements(world, "resolvers") { decodeResolver($0, $1) }
            endpoints = elements(world, "endpoints") { decodeEndpoint($0, $1) }
            clients = elements(world, "clients") { decodeClient($0, $1) }
            planes = elements(world, "automation") { decodeManagementPlane($0, $1) }
            checkUnique(world, "automation", planes.map(\.id))
            leaseManagers = elements(world, "leaseManagers") { decodeLeaseManager($0, $1) }
            checkUnique(world, "leaseManagers", leaseManagers.map(\.id))
            launchServices = elements(world, "launches") { decodeLaunchService($0, $1) }
            checkUnique(world, "launches", launchServices.map(\.id))
            let taken = Set(leaseManagers.map(\.id))
            for (index, launch) in launchServices.enumerated()
            where taken.contains(launch.id) || taken.contains("\(launch.id)-nlb") || launch.id == "apps" {
                context.error(
                    world.node.mark, KeyPath.root.key("world").key("launches").index(index),
                    "id '\(launch.id)' collides with a lease manager's or a reserved service id (service/\(launch.id))")
            }
            apps = world.take("apps").flatMap { decodeApps($0, KeyPath.root.key("world").key("apps")) }
            checkUnique(world, "authorities", authorities.map(\.id))
            checkUnique(world, "resolvers", resolvers.map(\.id))
            checkUnique(world, "endpoints", endpoints.map(\.id))
            checkUnique(world, "clients", clients.map(\.id))
            checkClientReferences(world)
        }
        faults = elements(top, "faults") { decodeFault($0, $1) }
        checkUnique(top, "faults", faults.map(\.id))
        let operators = elements(top, "operators") { decodeOperator($0, $1) }
        let expectations = elements(top, "expect") { decodeExpectation($0, $1) }

        guard !context.hasErrors, let name, let duration else { return nil }
        var spec = WorldSpec(
            name: name, summary: summary, seed: seed, clock: clock, duration: duration, authorities: authorities,
            resolvers: resolvers, endpoints: endpoints, clients: clients, managementPlanes: planes, leaseManagers: leaseManagers,
            launchServices: launchServices, apps: apps, faults: faults,
            operatorActions: operators,
            expectations: expectations)
        spec.limits = limits
        return spec
    }

    /// `limits: {events: N, memoryMB: M}`: the run's budgets (``WorldLimits``); each key defaults.
    private func decodeLimits(_ node: YAMLNode, _ path: KeyPath) -> WorldLimits {
        let f = Fields(node, path, context, allowed: ["events", "memoryMB"])
        var limits = WorldLimits()
        limits.events = f.read("events", limits.events) { context.int($0, $1, in: 1...Int.max) }
        limits.memoryMB = f.read("memoryMB", limits.memoryMB) { context.int($0, $1, in: 1...(1 << 30)) }
        return limits
    }

    // MARK: - Header

    private func checkSchema(_ top: Fields) {
        guard top.isMapping else { return }
        let path = KeyPath.root.key("schema")
        guard let value = top.take("schema", nullIsAbsent: false) else {
            context.error(top.node.mark, path, "missing required key 'schema' (the first key must be 'schema: \(Self.schema)')")
            return
        }
        if top.order.first != "schema" {
            context.error(top.keyMark("schema"), path, "'schema' must be the first key of the file")
        }
        guard let text = context.string(value, path) else { return }
        if text != Self.schema {
            context.error(
                value.mark, path, "unsupported schema '\(text)' (this version reads \(Self.schema))",
                suggestion: Suggestion.nearest(to: text, in: [Self.schema]))
        }
    }

    private mutating func decodeClock(_ top: Fields) {
        var start = RFC3339Time(unixSeconds: ScenarioClock.utc.startUnixSeconds, nanoseconds: 0, offsetSeconds: 0)
        if let node = top.take("start") {
            let path = KeyPath.root.key("start")
            if let text = context.string(node, path, what: "an RFC 3339 time") {
                switch RFC3339Time.parse(text) {
                case .success(let time):
                    if time.nanoseconds != 0 {
                        context.error(node.mark, path, "the start time must be a whole second")
                    }
                    start = time
                case .failure(let error): context.error(node.mark, path, error.message)
                }
            }
        }
        let offset = start.offsetSeconds
        var label =
            offset == 0 ? "UTC" : "UTC" + ScenarioClock(startUnixSeconds: 0, utcOffsetSeconds: offset, zoneLabel: "").offsetText
        if let node = top.take("timeZone"), let text = context.string(node, KeyPath.root.key("timeZone")) {
            if text.isEmpty || text.count > 32 {
                context.error(node.mark, KeyPath.root.key("timeZone"), "a time-zone label must be 1 to 32 characters")
            } else {
                label = text
            }
        }
        clock = ScenarioClock(startUnixSeconds: start.unixSeconds, utcOffsetSeconds: offset, zoneLabel: label)

        let durationNode = top.take("duration")
        let endNode = top.take("end")
        switch (durationNode, endNode) {
        case (let node?, nil):
            duration = context.duration(node, KeyPath.root.key("duration"), allowZero: false)
        case (nil, let node?):
            let path = KeyPath.root.key("end")
            guard let text = context.string(node, path, what: "an RFC 3339 time") else { return }
            switch RFC3339Time.parse(text) {
            case .success(let end):
                let (seconds, overflow) = end.unixSeconds.subtractingReportingOverflow(start.unixSeconds)
                if overflow || seconds < 0 || (seconds == 0 && end.nanoseconds == 0) || seconds > Int64.max / 1_000_000_000 - 1 {
                    context.error(node.mark, path, "'end' must be after 'start' (\(clock.format(.zero, style: .rfc3339)))")
                } else {
                    duration = SimDuration(nanoseconds: seconds * 1_000_000_000 + end.nanoseconds)
                }
            case .failure(let error): context.error(node.mark, path, error.message)
            }
        case (let d?, _?):
            _ = d
            context.error(top.keyMark("end"), KeyPath.root.key("end"), "give either 'duration' or 'end', not both")
        case (nil, nil):
            if top.isMapping {
                context.error(top.node.mark, .root, "missing required key 'duration' (or 'end')")
            }
        }
    }

    // MARK: - Lists

    /// Decodes each element of an optional list under `key` with `decode`, giving each its path.
    func elements<T>(_ fields: Fields, _ key: String, _ decode: (YAMLNode, KeyPath) -> T?) -> [T] {
        guard let node = fields.take(key) else { return [] }
        let path = fields.path.key(key)
        guard let items = context.list(node, path) else { return [] }
        var result: [T] = []
        for (index, item) in items.enumerated() {
            if let value = decode(item, path.index(index, id: DecodeContext.peekID(item))) { result.append(value) }
        }
        return result
    }

    /// Reports ids used twice within one list.
    private func checkUnique(_ fields: Fields, _ key: String, _ ids: [String]) {
        guard let node = fields.take(key), case .sequence(let items) = node.content else { return }
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            guard let id = DecodeContext.peekID(item), case .mapping(let pairs) = item.content,
                let idNode = pairs.first(where: { $0.key.scalarText == "id" })?.value
            else { continue }
            if let first = seen[id] {
                context.error(
                    idNode.mark, fields.path.key(key).index(index, id: id),
                    "duplicate id '\(id)' (also \(fields.path.key(key).text)[\(first)])")
            } else {
                seen[id] = index
            }
        }
        _ = ids
    }

    /// The `id` of an element (required).
    func id(_ fields: Fields) -> String? {
        fields.require("id").flatMap { context.identifier($0, fields.path.key("id")) }
    }

    // MARK: - World

    func decodeAuthority(_ node: YAMLNode, _ path: KeyPath) -> AuthoritySpec? {
        let f = Fields(node, path, context, allowed: ["id", "processingTime", "zones"])
        let id = id(f)
        let processingTime = f.read("processingTime", SimDuration.microseconds(100)) {
            context.duration($0, $1, allowZero: true)
        }
        var zones: [Zone] = []
        if let zonesNode = f.require("zones"), let items = context.list(zonesNode, path.key("zones")) {
            for (index, item) in items.enumerated() {
                if let zone = decodeZone(item, path.key("zones").index(index, id: path.elementID)) { zones.append(zone) }
            }
        }
        guard f.isMapping, let id else { return nil }
        return AuthoritySpec(id: id, zones: zones, processingTime: processingTime)
    }

    private func decodeZone(_ node: YAMLNode, _ path: KeyPath) -> Zone? {
        let f = Fields(node, path, context, allowed: ["origin", "records"])
        let origin = f.require("origin").flatMap { context.domainName($0, path.key("origin")) }
        guard let recordsNode = f.require("records"), let origin else { return nil }
        guard let (text, lineMarks) = recordText(recordsNode, path.key("records")) else { return nil }
        do {
            return try Zone(origin: origin, zoneText: text)
        } catch {
            var mark = recordsNode.mark
            if case .invalidZone(_, _, let line?) = error { mark = markOfRecordLine(line, lineMarks, recordsNode) }
            context.error(mark, path.key("records"), error.description)
            return nil
        }
    }

    /// Zone-file text from a string (block scalar) or a list of lines, with the mark of each list line.
    func recordText(_ node: YAMLNode, _ path: KeyPath) -> (String, [YAMLMark])? {
        switch node.content {
        case .scalar(let text, _) where !node.isNull:
            return (text, [])
        case .sequence(let items):
            var lines: [String] = []
            var marks: [YAMLMark] = []
            for (index, item) in items.enumerated() {
                guard let line = context.string(item, path.index(index), what: "a record line") else { return nil }
                lines.append(line)
                marks.append(item.mark)
            }
            return (lines.joined(separator: "\n"), marks)
        default:
            context.error(node.mark, path, "expected zone-file text or a list of record lines, found \(node.kindDescription)")
            return nil
        }
    }

    /// The file position of line `line` (1-based) of record text: a list item, or a line of a block scalar.
    func markOfRecordLine(_ line: Int, _ listMarks: [YAMLMark], _ node: YAMLNode) -> YAMLMark {
        if !listMarks.isEmpty { return line <= listMarks.count ? listMarks[line - 1] : node.mark }
        guard case .scalar(_, .block) = node.content, node.mark.origin == 0 else { return node.mark }
        // A block scalar's content starts on the line after its indicator.
        let fileLine = node.mark.line + line
        guard fileLine - 1 < context.lines.count else { return node.mark }
        let text = context.lines[fileLine - 1]
        let indent = text.prefix(while: { $0 == " " }).count
        return YAMLMark(line: fileLine, column: indent + 1, origin: 0)
    }

    func decodeResolver(_ node: YAMLNode, _ path: KeyPath) -> ResolverSpec? {
        let keys = [
            "id", "fleet", "minTTL", "maxTTL", "maxNegativeTTL", "servfailTTL", "serveStale", "prefetch", "upstreamTimeout",
            "upstreamTries", "upstreamRTT", "capacityQPS", "overload", "cacheEvictionMean",
        ]
        let f = Fields(node, path, context, allowed: keys)
        let id = id(f)
        var spec = ResolverSpec(id: id ?? "")
        spec.fleet = f.read("fleet", spec.fleet) { context.string($0, $1) }
        spec.minTTL = f.read("minTTL", spec.minTTL) { context.uint32($0, $1) }
        spec.maxTTL = f.read("maxTTL", spec.maxTTL) { context.uint32($0, $1) }
        spec.maxNegativeTTL = f.read("maxNegativeTTL", spec.maxNegativeTTL) { context.uint32($0, $1) }
        spec.servfailTTL = f.read("servfailTTL", spec.servfailTTL) { context.duration($0, $1, allowZero: true) }
        spec.prefetch = f.read("prefetch", spec.prefetch) { context.bool($0, $1) }
        spec.upstreamTimeout = f.read("upstreamTimeout", spec.upstreamTimeout) { context.duration($0, $1, allowZero: false) }
        spec.upstreamTries = f.read("upstreamTries", spec.upstreamTries) { context.int($0, $1, in: 1...100) }
        spec.upstreamRTT = f.read("upstreamRTT", spec.upstreamRTT) { context.duration($0, $1, allowZero: true) }
        spec.capacityQPS = f.read("capacityQPS", nil) { context.double($0, $1, in: Double.leastNonzeroMagnitude...1e12) }
        spec.overload = f.read("overload", spec.overload) { node, path in
            guard let text = context.string(node, path) else { return nil }
            guard let value = ResolverSpec.OverloadBehaviour(rawValue: text) else {
                context.error(
                    node.mark, path, "expected drop or refuse, found '\(text)'",
                    suggestion: Suggestion.nearest(to: text, in: ["drop", "refuse"]))
                return nil
            }
            return value
        }
        spec.cacheEvictionMean = f.read("cacheEvictionMean", nil) { context.duration($0, $1, allowZero: false) }
        if let serveStale = f.take("serveStale") { spec.serveStale = decodeServeStale(serveStale, path.key("serveStale")) }
        if f.has("minTTL") && f.has("maxTTL") && spec.minTTL > spec.maxTTL {
            context.error(
                f.keyMark("minTTL"), path.key("minTTL"), "minTTL (\(spec.minTTL)) is greater than maxTTL (\(spec.maxTTL))")
        }
        guard f.isMapping, id != nil else { return nil }
        return spec
    }

    private func decodeServeStale(_ node: YAMLNode, _ path: KeyPath) -> ServeStaleSpec? {
        if case .scalar = node.content {
            return context.bool(node, path).flatMap { $0 ? ServeStaleSpec() : nil }
        }
        let f = Fields(
            node, path, context, allowed: ["maxStale", "replyTTL", "clientTimeout", "failureRecheck"],
            what: "true, false or a mapping of serve-stale timers")
        var spec = ServeStaleSpec()
        spec.maxStale = f.read("maxStale", spec.maxStale) { context.duration($0, $1, allowZero: false) }
        spec.replyTTL = f.read("replyTTL", spec.replyTTL) { context.uint32($0, $1) }
        spec.clientTimeout = f.read("clientTimeout", spec.clientTimeout) { context.duration($0, $1, allowZero: true) }
        spec.failureRecheck = f.read("failureRecheck", spec.failureRecheck) { context.duration($0, $1, allowZero: true) }
        return f.isMapping ? spec : nil
    }

    func decodeEndpoint(_ node: YAMLNode, _ path: KeyPath) -> EndpointSpec? {
        let f = Fields(node, path, context, allowed: ["id", "name", "addresses", "connectTime", "connectTimeout", "capacity"])
        let id = id(f)
        let name = f.require("name").flatMap { context.domainName($0, path.key("name")) }
        var addresses: [IPAddress] = []
        if let list = f.require("addresses").flatMap({ context.list($0, path.key("addresses")) }) {
            for (index, item) in list.enumerated() {
                if let address = context.ipAddress(item, path.key("addresses").index(index)) { addresses.append(address) }
            }
            if list.isEmpty { context.error(f.keyMark("addresses"), path.key("addresses"), "needs at least one address") }
            if list.count > EndpointSpec.maxServiceAddresses {
                context.error(
                    f.keyMark("addresses"), path.key("addresses"),
                    "has \(list.count) addresses; at most \(EndpointSpec.maxServiceAddresses)")
            }
        }
        let connectTime = f.read("connectTime", SimDuration.milliseconds(2)) { context.duration($0, $1, allowZero: true) }
        let connectTimeout = f.read("connectTimeout", SimDuration.seconds(Int64(3))) {
            context.duration($0, $1, allowZero: false)
        }
        let capacity = f.take("capacity").flatMap { decodeCapacity($0, path.key("capacity")) }
        guard f.isMapping, let id, let name else { return nil }
        var endpoint = EndpointSpec(
            id: id, name: name, serviceAddresses: addresses, connectTime: connectTime, connectTimeout: connectTimeout)
        if let capacity { endpoint.capacity = capacity }
        return endpoint
    }

    func decodeClient(_ node: YAMLNode, _ path: KeyPath) -> ClientSpec? {
        let keys = [
            "id", "instances", "endpoint", "queryType", "resolvers", "stub", "resolverRTT", "appCache", "pool", "lookupInterval",
        ]
        let f = Fields(node, path, context, allowed: keys)
        let id = id(f)
        let endpoint = f.require("endpoint").flatMap { context.identifier($0, path.key("endpoint")) }
        var spec = ClientSpec(id: id ?? "", endpoint: endpoint ?? "", resolvers: [])
        spec.instances = f.read("instances", spec.instances) { context.int($0, $1, in: 1...1_000_000) }
        spec.queryType = f.read("queryType", spec.queryType) { node, path in
            guard let type = context.recordType(node, path) else { return nil }
            guard type == .a || type == .aaaa else {
                context.error(node.mark, path, "clients look up addresses: A or AAAA, found \(type)")
                return nil
            }
            return type
        }
        if let list = f.require("resolvers").flatMap({ context.list($0, path.key("resolvers")) }) {
            for (index, item) in list.enumerated() {
                if let ref = context.identifier(item, path.key("resolvers").index(index)) { spec.resolvers.append(ref) }
            }
            if list.isEmpty { context.error(f.keyMark("resolvers"), path.key("resolvers"), "needs at least one resolver") }
        }
        if let stub = f.take("stub") { spec.stub = decodeStub(stub, path.key("stub")) ?? spec.stub }
        spec.resolverRTT = f.read("resolverRTT", spec.resolverRTT) { context.duration($0, $1, allowZero: true) }
        if let cache = f.take("appCache") { spec.appCache = decodeAppCache(cache, path.key("appCache")) }
        if let pool = f.take("pool") { spec.pool = decodePool(pool, path.key("pool")) ?? spec.pool }
        if let interval = f.take("lookupInterval"), interval.plainText != "none" {
            spec.lookupInterval = context.duration(interval, path.key("lookupInterval"), allowZero: false)
        }
        guard f.isMapping, id != nil, endpoint != nil else { return nil }
        return spec
    }

    private func decodeStub(_ node: YAMLNode, _ path: KeyPath) -> StubResolverOptions? {
        let keys = ["timeout", "tries", "rotate", "noCheckResponse", "ignoreTruncation", "useTCP"]
        let f = Fields(node, path, context, allowed: keys)
        var stub = StubResolverOptions()
        stub.timeout = f.read("timeout", stub.timeout) { context.duration($0, $1, allowZero: false) }
        stub.tries = f.read("tries", stub.tries) { context.int($0, $1, in: 1...100) }
        stub.rotate = f.read("rotate", stub.rotate) { context.bool($0, $1) }
        stub.noCheckResponse = f.read("noCheckResponse", stub.noCheckResponse) { context.bool($0, $1) }
        stub.ignoreTruncation = f.read("ignoreTruncation", stub.ignoreTruncation) { context.bool($0, $1) }
        stub.useTCP = f.read("useTCP", stub.useTCP) { context.bool($0, $1) }
        return f.isMapping ? stub : nil
    }

    private func decodeAppCache(_ node: YAMLNode, _ path: KeyPath) -> AppCacheSpec? {
        if node.plainText == "none" { return nil }
        let f = Fields(node, path, context, allowed: ["positiveTTL", "negativeTTL"], what: "a mapping or 'none'")
        var cache = AppCacheSpec()
        cache.positiveTTL = f.read("positiveTTL", cache.positiveTTL) { context.duration($0, $1, allowZero: true) }
        cache.negativeTTL = f.read("negativeTTL", cache.negativeTTL) { context.duration($0, $1, allowZero: true) }
        return f.isMapping ? cache : nil
    }

    /// `pool`: keys not given keep their value in `base`.
    func decodePool(_ node: YAMLNode, _ path: KeyPath, base: PoolSpec = PoolSpec()) -> PoolSpec? {
        let keys = ["size", "maxConnectionAge", "ageJitter", "initialBackoff", "maxBackoff"]
        let f = Fields(node, path, context, allowed: keys)
        var pool = base
        pool.size = f.read("size", pool.size) { context.int($0, $1, in: 1...100_000) }
        pool.maxConnectionAge = f.read("maxConnectionAge", pool.maxConnectionAge) { context.duration($0, $1, allowZero: false) }
        pool.ageJitter = f.read("ageJitter", pool.ageJitter) { context.double($0, $1, in: 0...1) }
        pool.initialBackoff = f.read("initialBackoff", pool.initialBackoff) { context.duration($0, $1, allowZero: false) }
        pool.maxBackoff = f.read("maxBackoff", pool.maxBackoff) { context.duration($0, $1, allowZero: false) }
        if pool.maxBackoff < pool.initialBackoff {
            context.error(
                f.keyMark(f.has("maxBackoff") ? "maxBackoff" : "initialBackoff"), path.key("maxBackoff"),
                "maxBackoff (\(pool.maxBackoff)) is shorter than initialBackoff (\(pool.initialBackoff))")
        }
        return f.isMapping ? pool : nil
    }

    /// Client → endpoint and client → resolver references.
    private func checkClientReferences(_ world: Fields) {
        guard let node = world.take("clients"), case .sequence(let items) = node.content else { return }
        let endpointIDs = endpoints.map(\.id)
        let resolverIDs = resolvers.map(\.id)
        for (index, item) in items.enumerated() {
            guard case .mapping(let pairs) = item.content else { continue }
            let path = world.path.key("clients").index(index, id: DecodeContext.peekID(item))
            if let ref = pairs.first(where: { $0.key.scalarText == "endpoint" })?.value, let id = ref.scalarText,
                !endpointIDs.contains(id)
            {
                context.error(
                    ref.mark, path.key("endpoint"), "unknown endpoint '\(id)'",
                    suggestion: Suggestion.nearest(to: id, in: endpointIDs))
            }
            if let list = pairs.first(where: { $0.key.scalarText == "resolvers" })?.value, case .sequence(let refs) = list.content
            {
                for (k, ref) in refs.enumerated() {
                    guard let id = ref.scalarText, !ref.isNull, !resolverIDs.contains(id) else { continue }
                    context.error(
                        ref.mark, path.key("resolvers").index(k), "unknown resolver '\(id)'",
                        suggestion: Suggestion.nearest(to: id, in: resolverIDs))
                }
            }
        }
    }
}
