/// When to colour text output (`--color auto|always|never`).
///
/// ```swift
/// let color = ColorMode.auto.isEnabled(outputIsTerminal: true, environment: ["NO_COLOR": "1"])   // false
/// ```
public enum ColorMode: String, Sendable, CaseIterable {
    /// Colour only when writing to a terminal and `NO_COLOR` is unset or empty (https://no-color.org).
    case auto
    case always
    case never

    public func isEnabled(outputIsTerminal: Bool, environment: [String: String]) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto: return outputIsTerminal && (environment["NO_COLOR"] ?? "").isEmpty
        }
    }
}
