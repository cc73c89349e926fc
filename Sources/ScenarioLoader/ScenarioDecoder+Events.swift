import DNSModel
import SimKernel
import WorldModel

extension ScenarioDecoder {
    static let behaviourKinds = [
        "servfail", "refused", "notimp", "formerr", "noAnswer", "malformed", "garbage", "portClosed", "latency", "truncate",
    ]
    static let dataKinds = ["emptyRecords", "deleteName", "replaceRecords"]
    static let actionKeys = [
        "endFault", "restoreRecords", "setRecords", "flushCache", "repairAutomation", "throttleService", "restartService",
        "unthrottleService", "disableFailover", "enableFailover",
    ]
    static let automationKinds = ["enactorSlowdown"]

    // MARK: - Times

    /// An instant inside the run: a duration from the start (`10m`) or an absolute time with an offset.
    func instant(_ node: YAMLNode, _ path: KeyPath) -> SimTime? {
        guard let text = context.string(node, path, what: "a time") else { return nil }
        let time: SimTime
        if RFC3339Time.looksLikeDate(text) {
            switch RFC3339Time.parse(text) {
            case .success(let absolute):
                let (delta, overflow) = absolute.unixSeconds.subtractingReportingOverflow(clock.startUnixSeconds)
                guard !overflow, abs(delta) < Int64.max / 1_000_000_000 - 1 else {
                    context.error(node.mark, path, "time \(text) is outside the scenario")
                    return nil
                }
                time = SimTime(nanoseconds: delta * 1_000_000_000 + absolute.nanoseconds)
            case .failure(let error):
                context.error(node.mark, path, error.message)
                return nil
            }
        } else {
            if text.hasPrefix("-") {
                context.error(node.mark, path, "time \(text) is outside the scenario (before its start)")
                return nil
            }
            guard let offset = SimDuration(parsing: text) else {
                context.error(
                    node.mark, path,
                    "expected a time: a duration from the start (10m) or an absolute time (2025-10-20T00:00:00-07:00), found '\(text)'"
                )
                return nil
            }
            time = SimTime.zero + offset
        }
        if let duration, time < .zero || time > SimTime.zero + duration {
            context.error(
                node.mark, path,
                "time \(text) is outside the scenario (which runs from \(clock.format(.zero, style: .rfc3339)) for \(duration))")
            return nil
        }
        return time
    }

    /// `[t1, t2]` with `t1 ≤ t2`, each read by `read`.
    func window<T: Comparable>(_ node: YAMLNode, _ path: KeyPath, _ read: (YAMLNode, KeyPath) -> T?) -> (T, T)? {
        guard case .sequence(let items) = node.content, items.count == 2 else {
            context.error(node.mark, path, "expected a list of two values [from, to], found \(node.kindDescription)")
            return nil
        }
        guard let low = read(items[0], path.index(0)), let high = read(items[1], path.index(1)) else { return nil }
        if high < low {
            context.error(items[1].mark, path.index(1), "the window ends before it starts")
            return nil
        }
        return (low, high)
    }

    // MARK: - Faults

    /// Exactly one of `kinds` among the keys; reports none or several.
    func singleKind(_ f: Fields, _ kinds: [String], what: String) -> String? {
        let present = f.order.filter { kinds.contains($0) }
        guard let first = present.first else {
            if f.isMapping {
                context.error(f.node.mark, f.path, "missing \(what): one of \(kinds.joined(separator: ", "))")
            }
            return nil
        }
        if present.count > 1 {
            context.error(
                f.keyMark(present[1]), f.path, "exactly one \(what) allowed; found both '\(first)' and '\(present[1])'")
            return nil
        }
        return first
    }

    func decodeFault(_ node: YAMLNode, _ path: KeyPath) -> FaultSpec? {
        let f = Fields(
            node, path, context,
            allowed: ["id", "at", "until", "target"] + Self.dataKinds + Self.behaviourKinds + Self.automationKinds)
        let id = id(f)
        let at = f.require("at").flatMap { instant($0, path.key("at")) }
        let until = f.take("until").flatMap { instant($0, path.key("until")) }
        if let at, let until, until <= at {
            context.error(f.keyMark("until"), path.key("until"), "'until' must be after 'at'")
        }
        let target = f.require("target").flatMap {
            componentRef($0, path.key("target"), kinds: [.authority, .resolver, .automation])
        }
        guard let kindKey = singleKind(f, Self.dataKinds + Self.behaviourKinds + Self.automationKinds, what: "fault kind"),
            let kindNode = f.take(kindKey, nullIsAbsent: false)
        else { return nil }
        let kindPath = path.key(kindKey)
        if Self.dataKinds.contains(kindKey), let target, target.kind != .authority {
            context.error(
                f.keyMark(kindKey), kindPath,
                "'\(kindKey)' changes zone data and applies to authorities; \(target) is a \(target.kind.rawValue)")
            return nil
        }
        if Self.automationKinds.contains(kindKey) != (target?.kind == .automation), let target {
            let applies =
                Self.automationKinds.contains(kindKey) ? "automation (DNS management planes)" : "authorities or resolvers"
            context.error(
                f.keyMark(kindKey), kindPath, "'\(kindKey)' applies to \(applies); \(target) is a \(target.kind.rawValue)")
            return nil
        }
        let kind: FaultKind?
        switch kindKey {
        case "enactorSlowdown":
            kind = enactorSlowdown(kindNode, kindPath, plane: target?.name)
        case "emptyRecords":
            let k = Fields(kindNode, kindPath, context, allowed: ["name", "type"])
            let name = k.require("name").flatMap { recordName($0, kindPath.key("name"), authority: target) }
            let type = k.require("type").flatMap { context.recordType($0, kindPath.key("type")) }
            kind = name.flatMap { n in type.map { .emptyRecords(name: n, type: $0) } }
        case "deleteName":
            let k = Fields(kindNode, kindPath, context, allowed: ["name"])
            kind = k.require("name").flatMap { recordName($0, kindPath.key("name"), authority: target) }.map {
                .deleteName(name: $0)
            }
        case "replaceRecords":
            let set = recordSet(kindNode, kindPath, authority: target?.name)
            kind = set.map { .replaceRecords(name: $0.name, type: $0.type, records: $0.records) }
        default:
            kind = behaviour(kindKey, kindNode, kindPath)
        }
        guard f.isMapping, let id, let at, let target, let kind else { return nil }
        return FaultSpec(id: id, at: at, until: until, target: target, kind: kind)
    }

    private func behaviour(_ key: String, _ node: YAMLNode, _ path: KeyPath) -> FaultKind? {
        var allowed = ["scope", "probability"]
        if key == "latency" { allowed.append("delay") }
        if key == "truncate" { allowed.append("tcpWorks") }
        let k = Fields(node, path, context, allowed: allowed)
        let scope = k.take("scope").flatMap { context.domainName($0, path.key("scope")) }
        let probability = k.read("probability", 1.0) { context.double($0, $1, in: 0...1) }
        let behaviour: ServerBehaviour?
        switch key {
        case "servfail": behaviour = .servfail
        case "refused": behaviour = .refused
        case "notimp": behaviour = .notimp
        case "formerr": behaviour = .formerr
        case "noAnswer": behaviour = .noAnswer
        case "malformed": behaviour = .malformed
        case "garbage": behaviour = .garbage
        case "portClosed": behaviour = .portClosed
        case "latency":
            behaviour = k.require("delay").flatMap { context.duration($0, path.key("delay"), allowZero: false) }.map {
                .latency($0)
            }
        default:
            behaviour = .truncate(tcpWorks: k.read("tcpWorks", true) { context.bool($0, $1) })
        }
        guard k.isMapping, let behaviour else { return nil }
        return .behaviour(behaviour, scope: scope, probability: probability)
    }

    /// `{enactor, extraLockAttemptTime, lockFailureProbability}` for a management plane's enactor.
    private func enactorSlowdown(_ node: YAMLNode, _ path: KeyPath, plane: String?) -> FaultKind? {
        let k = Fields(node, path, context, allowed: ["enactor", "extraLockAttemptTime", "lockFailureProbability"])
        let enactors = planes.first(where: { $0.id == plane })?.enactors ?? 1
        let enactor = k.require("enactor").flatMap { context.int($0, path.key("enactor"), in: 0...max(0, enactors - 1)) }
        let extra = k.read("extraLockAttemptTime", SimDuration.zero) { context.duration($0, $1, allowZero: true) }
        let probability = k.read("lockFailureProbability", 0.0) { context.double($0, $1, in: 0...1) }
        guard k.isMapping, let enactor else { return nil }
        return .enactorSlowdown(enactor: enactor, extraLockAttemptTime: extra, lockFailureProbability: probability)
    }

    /// A `kind/name` reference to an existing component of one of `kinds`.
    func componentRef(_ node: YAMLNode, _ path: KeyPath, kinds: [ComponentID.Kind]) -> ComponentID? {
        guard let text = context.string(node, path, what: "a component (kind/name)") else { return nil }
        let written = kinds.map { "\($0.rawValue)/NAME" }.joined(separator: " or ")
        guard let id = ComponentID(parsing: text) else {
            context.error(node.mark, path, "expected \(written), found '\(text)'")
            return nil
        }
        guard kinds.contains(id.kind) else {
            context.error(node.mark, path, "expected \(written); '\(text)' is a \(id.kind.rawValue)")
            return nil
        }
        let known = ids(of: id.kind)
        guard known.contains(id.name) else {
            context.error(
                node.mark, path, "unknown \(id.kind.rawValue) '\(id.name)'",
                suggestion: Suggestion.nearest(to: id.name, in: known).map { "\(id.kind.rawValue)/\($0)" })
            return nil
        }
        return id
    }

    private func ids(of kind: ComponentID.Kind) -> [String] {
        switch kind {
        case .authority: authorities.map(\.id)
        case .resolver: resolvers.map(\.id)
        case .endpoint: endpoints.map(\.id)
        case .client: clients.map(\.id) + (populationInstancesFleetID.map { [$0] } ?? [])
        case .fault: faults.map(\.id)
        case .automation: planes.map(\.id)
        case .service:
            (leaseManagers.map(\.id) + launchServices.flatMap { [$0.id, "\($0.id)-nlb"] }
                + (apps.map { ["apps"] + $0.named.map { "app/\($0.name)" } } ?? [])).sorted()
        case .operator: []
        }
    }

    /// A name that must lie in a zone the authority serves.
    func recordName(_ node: YAMLNode, _ path: KeyPath, authority: ComponentID?) -> DomainName? {
        guard let name = context.domainName(node, path) else { return nil }
        if let authority, authority.kind == .authority, let spec = authorities.first(where: { $0.id == authority.name }),
            !spec.zones.isEmpty, !spec.zones.contains(where: { name.isSubdomain(of: $0.origin) })
        {
            context.error(node.mark, path, "\(name) is in no zone that \(authority) serves")
            return nil
        }
        return name
    }

    /// `{name, type, records}` with every record owned by `name` and of `type`.
    private func recordSet(
        _ node: YAMLNode, _ path: KeyPath, authority: String?, extraKeys: [String] = []
    )
        -> (name: DomainName, type: RecordType, records: [ResourceRecord])?
    {
        let k = Fields(node, path, context, allowed: ["name", "type", "records"] + extraKeys)
        let target = authority.map { ComponentID(.authority, $0) }
        let name = k.require("name").flatMap { recordName($0, path.key("name"), authority: target) }
        let type = k.require("type").flatMap { context.recordType($0, path.key("type")) }
        guard let recordsNode = k.require("records"), let name, let type,
            let (text, marks) = recordText(recordsNode, path.key("records"))
        else { return nil }
        let origin = authority.flatMap { id in
            authorities.first(where: { $0.id == id })?.zones.map(\.origin).filter { name.isSubdomain(of: $0) }
                .max(by: { $0.labelCount < $1.labelCount })
        }
        var records: [ResourceRecord] = []
        var ok = true
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.hasPrefix(";") { continue }
            let mark = markOfRecordLine(index + 1, marks, recordsNode)
            do {
                let record = try ResourceRecord(zoneText: String(trimmed), origin: origin)
                if record.name != name || record.type != type {
                    context.error(mark, path.key("records"), "record '\(record)' is not a \(name) \(type) record")
                    ok = false
                }
                records.append(record)
            } catch {
                context.error(mark, path.key("records"), error.description)
                ok = false
            }
        }
        if ok && records.isEmpty {
            context.error(recordsNode.mark, path.key("records"), "needs at least one record (use emptyRecords to empty a set)")
            ok = false
        }
        return ok ? (name, type, records) : nil
    }

    // MARK: - Operators

    func decodeOperator(_ node: YAMLNode, _ path: KeyPath) -> OperatorActionSpec? {
        let f = Fields(node, path, context, allowed: ["at", "note"] + Self.actionKeys)
        let at = f.require("at").flatMap { instant($0, path.key("at")) }
        let note = f.read("note", "") { context.string($0, $1) }
        guard let key = singleKind(f, Self.actionKeys, what: "action"), let value = f.take(key, nullIsAbsent: false) else {
            return nil
        }
        let actionPath = path.key(key)
        var action: OperatorAction?
        switch key {
        case "endFault":
            let known = faults.map(\.id)
            if let id = context.identifier(value, actionPath) {
                if known.contains(id) {
                    action = .endFault(id: id)
                } else {
                    context.error(
                        value.mark, actionPath, "unknown fault '\(id)'", suggestion: Suggestion.nearest(to: id, in: known))
                }
            }
        case "restoreRecords":
            let k = Fields(value, actionPath, context, allowed: ["authority", "name", "type"])
            let authority = k.require("authority").flatMap { reference($0, actionPath.key("authority"), .authority) }
            let name = k.require("name").flatMap {
                recordName($0, actionPath.key("name"), authority: authority.map { ComponentID(.authority, $0) })
            }
            let type = k.require("type").flatMap { context.recordType($0, actionPath.key("type")) }
            if let authority, let name, let type { action = .restoreRecords(authority: authority, name: name, type: type) }
        case "setRecords":
            let authorityNode: YAMLNode? = {
                guard case .mapping(let pairs) = value.content else { return nil }
                return pairs.first(where: { $0.key.scalarText == "authority" })?.value
            }()
            let authority = authorityNode.flatMap { reference($0, actionPath.key("authority"), .authority) }
            if authorityNode == nil, case .mapping = value.content {
                context.error(value.mark, actionPath, "missing required key 'authority'")
            }
            if let set = recordSet(value, actionPath, authority: authority, extraKeys: ["authority"]), let authority {
                action = .setRecords(authority: authority, name: set.name, type: set.type, records: set.records)
            }
        case "throttleService":
            action = decodeThrottle(value, actionPath)
        case "restartService":
            action = serviceReference(value, actionPath).map { .restartService(id: $0) }
        case "unthrottleService":
            action = serviceReference(value, actionPath).map { .unthrottleService(id: $0) }
        case "disableFailover", "enableFailover":
            action = launchReference(value, actionPath).map { .setAutomaticFailover(id: $0, enabled: key == "enableFailover") }
        case "repairAutomation":
            action = reference(value, actionPath, .automation).map { .repairAutomation(id: $0) }
        default:
            let k = Fields(value, actionPath, context, allowed: ["resolver", "name"])
            let resolver = k.require("resolver").flatMap { reference($0, actionPath.key("resolver"), .resolver) }
            let name = k.take("name").flatMap { context.domainName($0, actionPath.key("name")) }
            if let resolver, k.take("name") == nil || name != nil { action = .flushCache(resolver: resolver, name: name) }
        }
        guard let at, let action else { return nil }
        return OperatorActionSpec(at: at, action: action, note: note)
    }

    /// A bare id (`ns1`, or `authority/ns1`) of an existing component of `kind`.
    private func reference(_ node: YAMLNode, _ path: KeyPath, _ kind: ComponentID.Kind) -> String? {
        guard var text = context.string(node, path, what: "an id") else { return nil }
        if text.hasPrefix("\(kind.rawValue)/") { text.removeFirst(kind.rawValue.count + 1) }
        let known = ids(of: kind)
        guard known.contains(text) else {
            context.error(
                node.mark, path, "unknown \(kind.rawValue) '\(text)'", suggestion: Suggestion.nearest(to: text, in: known))
            return nil
        }
        return text
    }
}
