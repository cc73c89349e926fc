private import CYaml

/// A failure to turn text into a node tree: syntax errors and the resource limits.
struct YAMLComposeError: Error, Sendable {
    var mark: YAMLMark
    var message: String
}

/// Builds a ``YAMLNode`` tree from libyaml's event stream, iteratively and within limits.
///
/// Yams's own composer is not used because it recurses once per nesting level (deep input overflows the
/// stack before any limit can be applied), hashes whole key subtrees to find duplicate keys (exponential
/// for aliased keys) and stops at the first duplicate. This composer keeps an explicit stack, stops at
/// `maxDepth` levels, counts every node an alias expands to (stopping at `maxNodes`), and leaves
/// duplicate keys in the tree for the decoder to report, all of them, with positions.
struct YAMLComposer {
    var maxDepth: Int
    var maxNodes: Int
    /// Stamped on every mark (0 = the scenario file, k = the k-th `--set` value).
    var origin: Int = 0

    private enum Frame {
        case sequence(start: YAMLMark, tag: String?, anchor: String?, items: [YAMLNode], size: Int)
        case mapping(start: YAMLMark, tag: String?, anchor: String?, pairs: [YAMLPair], pendingKey: YAMLNode?, size: Int)
    }

    /// Composes a single-document stream; returns `nil` for a stream without a document (empty or only comments).
    func compose(_ bytes: [UInt8]) throws(YAMLComposeError) -> YAMLNode? {
        if bytes.isEmpty { return nil }
        var result: Result<YAMLNode?, YAMLComposeError> = .success(nil)
        bytes.withUnsafeBufferPointer { buffer in
            result = composeBuffer(buffer)
        }
        return try result.get()
    }

    static let tagPrefix = "tag:yaml.org,2002:"
    /// The YAML 1.2 core schema's tags, in full form.
    static let coreTags: Set<String> = Set(["str", "int", "float", "bool", "null", "map", "seq"].map { tagPrefix + $0 })

    private func mark(_ m: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: Int(m.line) + 1, column: Int(m.column) + 1, origin: origin)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int? = nil) -> String? {
        guard let pointer else { return nil }
        let count = length ?? strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    private func composeBuffer(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<YAMLNode?, YAMLComposeError> {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return .failure(YAMLComposeError(mark: .none, message: "cannot initialise the YAML parser"))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

        var stack: [Frame] = []
        var anchors: [String: (node: YAMLNode, size: Int)] = [:]
        var totalNodes = 0
        var root: YAMLNode?
        var documents = 0

        func syntaxError() -> YAMLComposeError {
            let problem =
                YAMLComposer.string(
                    UnsafeMutablePointer(mutating: parser.problem).map {
                        UnsafeMutableRawPointer($0).assumingMemoryBound(to: yaml_char_t.self)
                    }) ?? "invalid YAML"
            let context = YAMLComposer.string(
                UnsafeMutablePointer(mutating: parser.context).map {
                    UnsafeMutableRawPointer($0).assumingMemoryBound(to: yaml_char_t.self)
                })
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context))" }
            return YAMLComposeError(mark: mark(parser.problem_mark), message: message)
        }

        /// Adds a finished node (of expanded size `size`) to the enclosing collection or makes it the root.
        func attach(_ node: YAMLNode, size: Int, anchor: String?) -> YAMLComposeError? {
            if let anchor { anchors[anchor] = (node, size) }
            guard let top = stack.popLast() else {
                root = node
                return nil
            }
            switch top {
            case .sequence(let start, let tag, let a, var items, let s):
                items.append(node)
                stack.append(.sequence(start: start, tag: tag, anchor: a, items: items, size: s + size))
            case .mapping(let start, let tag, let a, var pairs, let pending, let s):
                if let key = pending {
                    pairs.append(YAMLPair(key: key, value: node))
                    stack.append(.mapping(start: start, tag: tag, anchor: a, pairs: pairs, pendingKey: nil, size: s + size))
                } else {
                    stack.append(.mapping(start: start, tag: tag, anchor: a, pairs: pairs, pendingKey: node, size: s + size))
                }
            }
            return nil
        }

        /// Scenario files use plain YAML values: only the core schema's tags (`!!str`, `!!int`, …) are accepted.
        func checkTag(_ tag: String?, at m: YAMLMark) -> YAMLComposeError? {
            guard let tag, tag != "!", !YAMLComposer.coreTags.contains(tag) else { return nil }
            let shown = tag.hasPrefix(YAMLComposer.tagPrefix) ? "!!" + tag.dropFirst(YAMLComposer.tagPrefix.count) : tag
            return YAMLComposeError(
                mark: m, message: "the YAML tag '\(shown)' is not supported (scenario files use plain values; drop the tag)")
        }

        func count(_ n: Int, at m: YAMLMark) -> YAMLComposeError? {
            totalNodes += n
            if totalNodes > maxNodes {
                return YAMLComposeError(
                    mark: m,
                    message:
                        "document expands to more than \(maxNodes) nodes (an alias bomb, or a file too large to be a scenario)")
            }
            return nil
        }

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(syntaxError()) }
            defer { yaml_event_delete(&event) }
            let start = mark(event.start_mark)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return .success(root)
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    return .failure(
                        YAMLComposeError(mark: start, message: "a scenario file holds one YAML document; found a second '---'"))
                }
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                let text = YAMLComposer.string(s.value, length: Int(s.length)) ?? ""
                let style: YAMLNode.ScalarStyle
                switch s.style {
                case YAML_PLAIN_SCALAR_STYLE, YAML_ANY_SCALAR_STYLE: style = .plain
                case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE: style = .block
                default: style = .quoted
                }
                if let error = count(1, at: start) ?? checkTag(YAMLComposer.string(s.tag), at: start) {
                    return .failure(error)
                }
                let node = YAMLNode(.scalar(text, style), mark: start, tag: YAMLComposer.string(s.tag))
                if let error = attach(node, size: 1, anchor: YAMLComposer.string(s.anchor)) { return .failure(error) }
            case YAML_ALIAS_EVENT:
                let name = YAMLComposer.string(event.data.alias.anchor) ?? ""
                guard let target = anchors[name] else {
                    return .failure(
                        YAMLComposeError(mark: start, message: "alias '*\(name)' refers to no anchor defined before it"))
                }
                if let error = count(target.size, at: start) { return .failure(error) }
                if let error = attach(target.node, size: target.size, anchor: nil) { return .failure(error) }
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                if stack.count >= maxDepth {
                    return .failure(YAMLComposeError(mark: start, message: "nesting deeper than \(maxDepth) levels"))
                }
                if let error = count(1, at: start) { return .failure(error) }
                if event.type == YAML_SEQUENCE_START_EVENT {
                    let s = event.data.sequence_start
                    if let error = checkTag(YAMLComposer.string(s.tag), at: start) { return .failure(error) }
                    stack.append(
                        .sequence(
                            start: start, tag: YAMLComposer.string(s.tag), anchor: YAMLComposer.string(s.anchor), items: [],
                            size: 1))
                } else {
                    let m = event.data.mapping_start
                    if let error = checkTag(YAMLComposer.string(m.tag), at: start) { return .failure(error) }
                    stack.append(
                        .mapping(
                            start: start, tag: YAMLComposer.string(m.tag), anchor: YAMLComposer.string(m.anchor), pairs: [],
                            pendingKey: nil, size: 1))
                }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let top = stack.popLast() else { continue }
                let node: YAMLNode
                let size: Int
                let anchor: String?
                switch top {
                case .sequence(let s, let tag, let a, let items, let n):
                    node = YAMLNode(.sequence(items), mark: s, tag: tag)
                    size = n
                    anchor = a
                case .mapping(let s, let tag, let a, let pairs, _, let n):
                    node = YAMLNode(.mapping(pairs), mark: s, tag: tag)
                    size = n
                    anchor = a
                }
                if let error = attach(node, size: size, anchor: anchor) { return .failure(error) }
            default:
                continue
            }
        }
    }
}
