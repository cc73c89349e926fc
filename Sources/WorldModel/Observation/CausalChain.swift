public import SimKernel

/// The chain of timeline entries that led to a component's state at a moment, back to the injected faults and
/// operator actions — each link a model event with its time (see `CauseTracker` for how causes are recorded).
///
/// ```swift
/// let chain = CausalChain(results, component: ComponentID(.client, "app"), at: SimTime.zero + .hours(2))
/// chain?.root.entry    // index of the component's latest state change at or before 2h
/// ```
public struct CausalChain: Sendable, Hashable {
    /// One link: a timeline entry and the entries that caused it.
    public struct Node: Sendable, Hashable {
        /// Index into ``RunResults/timeline``.
        public var entry: Int
        public var causes: [Node]
        /// True when this entry's causes were already shown higher in the tree (they are not repeated).
        public var shownAbove: Bool
    }

    public var root: Node

    /// The chain behind `component`'s latest state change at or before `time`; nil if it had none (it is in its
    /// initial, healthy state).
    public init?(_ results: RunResults, component: ComponentID, at time: SimTime) {
        guard let last = results.timeline.lastIndex(where: { $0.component == component && $0.time <= time }) else {
            return nil
        }
        self.init(results, entry: last)
    }

    /// The chain behind one timeline entry.
    public init(_ results: RunResults, entry: Int) {
        var seen = Set<Int>()
        func node(_ index: Int, depth: Int) -> Node {
            let first = seen.insert(index).inserted
            guard first, depth < Self.maxDepth else { return Node(entry: index, causes: [], shownAbove: !first) }
            let causes = results.timeline[index].causes.filter {
                $0 < index || results.timeline[$0].time <= results.timeline[index].time
            }
            return Node(entry: index, causes: causes.map { node($0, depth: depth + 1) }, shownAbove: false)
        }
        self.root = node(entry, depth: 0)
    }

    /// Links followed at most (chains in the bundled scenarios are under 15 long).
    public static let maxDepth = 40

    /// The entries of the chain, depth first, each with its depth.
    public var links: [(entry: Int, depth: Int, shownAbove: Bool)] {
        var out: [(Int, Int, Bool)] = []
        func walk(_ node: Node, _ depth: Int) {
            out.append((node.entry, depth, node.shownAbove))
            for cause in node.causes { walk(cause, depth + 1) }
        }
        walk(root, 0)
        return out
    }
}
