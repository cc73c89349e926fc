/// Applies `--set path=value` overrides to the composed tree, before decoding.
///
/// Path segments are separated by `.`; in a list a segment selects the element whose `id` is the segment,
/// else the element at that index; `*` selects every element. A leading `world.` may be left out. The value
/// is read as YAML (a scalar or a flow collection). A missing key on a mapping is added (missing
/// intermediate mappings too); a path that selects nothing is an error.
struct OverrideApplier {
    let context: DecodeContext
    let composer: YAMLComposer

    mutating func apply(_ argument: String, number: Int, to root: inout YAMLNode) {
        guard let equals = argument.firstIndex(of: "=") else {
            context.overrideError(argument, path: "", "expected PATH=VALUE (e.g. world.resolvers.r1.maxTTL=300)")
            return
        }
        let pathText = String(argument[..<equals])
        let valueText = String(argument[argument.index(after: equals)...])
        var segments = pathText.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if pathText.isEmpty || segments.contains(where: \.isEmpty) {
            context.overrideError(argument, path: pathText, "the path is empty or has an empty segment")
            return
        }
        if ScenarioDecoder.worldKeys.contains(segments[0]) { segments.insert("world", at: 0) }
        var valueComposer = composer
        valueComposer.origin = number
        let value: YAMLNode
        do {
            value =
                try valueComposer.compose(Array(valueText.utf8))
                ?? YAMLNode(.scalar("", .plain), mark: YAMLMark(line: 1, column: 1, origin: number))
        } catch {
            context.overrideError(argument, path: pathText, "the value is not valid YAML: \(error.message)")
            return
        }
        var failure: String?
        let matched = set(&root, segments[...], value, walked: "", failure: &failure)
        if matched == 0 {
            context.overrideError(argument, path: pathText, "the path matches nothing: \(failure ?? "no such element")")
        }
    }

    /// Sets `value` at `segments` below `node`; returns how many places were set.
    private func set(
        _ node: inout YAMLNode, _ segments: ArraySlice<String>, _ value: YAMLNode, walked: String, failure: inout String?
    ) -> Int {
        guard let segment = segments.first else {
            node = value
            return 1
        }
        let rest = segments.dropFirst()
        let here = walked.isEmpty ? segment : "\(walked).\(segment)"
        if node.isNull && segment != "*" && Int(segment) == nil {
            node = YAMLNode(.mapping([]), mark: node.mark)
        }
        switch node.content {
        case .mapping(var pairs):
            if let index = pairs.firstIndex(where: { $0.key.scalarText == segment }) {
                let count = set(&pairs[index].value, rest, value, walked: here, failure: &failure)
                node.content = .mapping(pairs)
                return count
            }
            var child = YAMLNode(rest.isEmpty ? value.content : .mapping([]), mark: value.mark, tag: value.tag)
            if !rest.isEmpty {
                guard set(&child, rest, value, walked: here, failure: &failure) > 0 else { return 0 }
            }
            pairs.append(YAMLPair(key: YAMLNode(.scalar(segment, .plain), mark: value.mark), value: child))
            node.content = .mapping(pairs)
            return 1
        case .sequence(var items):
            var selected: [Int]
            if segment == "*" {
                selected = Array(items.indices)
            } else {
                selected = items.indices.filter { DecodeContext.peekID(items[$0]) == segment }
                if selected.isEmpty, let index = Int(segment), items.indices.contains(index) { selected = [index] }
            }
            if selected.isEmpty {
                failure = items.isEmpty ? "\(walked) is an empty list" : "no element of \(walked) has id or index '\(segment)'"
                return 0
            }
            var count = 0
            for index in selected {
                count += set(&items[index], rest, value, walked: here, failure: &failure)
            }
            node.content = .sequence(items)
            return count
        case .scalar:
            failure = "\(walked.isEmpty ? "the document" : walked) is a single value, not a mapping or a list"
            return 0
        }
    }
}
