/// A parameter grid: axes of `path=v1,v2,…` overrides (the `--set` paths), crossed in the order given — the first
/// axis varies slowest.
///
/// ```swift
/// let grid = try SweepGrid(parsing: ["resolvers.*.negativeTTL=5m,15m", "clients.app.instances=10,100"])
/// grid.points.count   // 4
/// grid.points[1]      // [negativeTTL=5m, instances=100]
/// ```
public struct SweepGrid: Sendable, Hashable, Codable {
    /// One axis: a scenario path and the values it takes.
    public struct Axis: Sendable, Hashable, Codable {
        public var path: String
        public var values: [String]

        public init(path: String, values: [String]) {
            self.path = path
            self.values = values
        }
    }

    public var axes: [Axis]

    public init(axes: [Axis]) { self.axes = axes }

    /// Parses `--grid` arguments; an empty grid, an axis without values, an empty value or a repeated path is an error.
    public init(parsing arguments: [String]) throws(DNSCascadeError) {
        guard !arguments.isEmpty else {
            throw .invalidOption("the grid is empty: give at least one --grid path=v1,v2,…")
        }
        var axes: [Axis] = []
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw .invalidOption("--grid '\(argument)': expected path=v1,v2,… (no '=')")
            }
            let path = String(argument[..<equals]).trimmingSpaces
            let list = argument[argument.index(after: equals)...]
            guard !path.isEmpty else { throw .invalidOption("--grid '\(argument)': the path before '=' is empty") }
            let values = list.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            guard !list.isEmpty else { throw .invalidOption("--grid '\(argument)': no values after '='") }
            if let index = values.firstIndex(of: "") {
                throw .invalidOption("--grid '\(argument)': value \(index + 1) is empty")
            }
            if axes.contains(where: { $0.path == path }) {
                throw .invalidOption("--grid '\(argument)': the path \(path) is already an axis")
            }
            axes.append(Axis(path: path, values: values))
        }
        self.axes = axes
    }

    /// Every combination of one value per axis, as `path=value` overrides, first axis slowest.
    public var points: [[String]] {
        axes.reduce([[]]) { partial, axis in
            partial.flatMap { prefix in axis.values.map { prefix + ["\(axis.path)=\($0)"] } }
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
