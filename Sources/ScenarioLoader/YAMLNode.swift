/// Where a node was written: a 1-based line and column, and which input it came from.
struct YAMLMark: Hashable, Sendable {
    var line: Int
    var column: Int
    /// 0 = the scenario file; k ≥ 1 = the k-th `--set` override's value.
    var origin: Int

    static let none = YAMLMark(line: 0, column: 0, origin: 0)
}

/// A composed YAML node with its position. Aliases are already expanded (the tree is a plain value).
struct YAMLNode: Sendable {
    enum ScalarStyle: Sendable {
        /// A plain scalar: typed by its text (`true`, `12`, `null`, ...).
        case plain
        /// Quoted or block (`|`, `>`) scalars: always strings.
        case quoted
        /// A literal or folded block scalar (`|`, `>`): a string whose content starts on the next line.
        case block
    }

    enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    var content: Content
    var mark: YAMLMark
    /// An explicit tag (`!!str`), if any, in its full form.
    var tag: String?

    init(_ content: Content, mark: YAMLMark, tag: String? = nil) {
        self.content = content
        self.mark = mark
        self.tag = tag
    }

    /// Whether this is an explicit or implicit null (`null`, `~`, or nothing at all).
    var isNull: Bool {
        guard case .scalar(let text, .plain) = content else { return false }
        if tag == YAMLNode.strTag { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// The text of a scalar node, `nil` for collections.
    var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// The text of a plain (untagged or `!!`-typed) scalar, `nil` for quoted scalars and collections.
    var plainText: String? {
        if case .scalar(let text, .plain) = content, tag != YAMLNode.strTag { return text }
        return nil
    }

    /// A short description of the node's kind for "expected X, found Y" messages.
    var kindDescription: String {
        switch content {
        case .scalar(let text, let style):
            if isNull { return "null" }
            let shown = text.count > 40 ? String(text.prefix(37)) + "..." : text
            if style == .plain && tag != YAMLNode.strTag { return "'\(shown)'" }
            return "the string \"\(shown)\""
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    static let strTag = "tag:yaml.org,2002:str"
}

/// One key-value pair of a mapping, in document order.
struct YAMLPair: Sendable {
    var key: YAMLNode
    var value: YAMLNode
}
