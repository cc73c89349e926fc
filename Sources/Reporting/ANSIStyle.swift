/// ANSI colours for terminal output. Off unless a caller asks for it (the CLI decides from `--color`, the TTY and `NO_COLOR`).
public enum ANSIStyle: String, Sendable, CaseIterable {
    case red = "31"
    case green = "32"
    case yellow = "33"
    case bold = "1"

    /// Wraps `text` in this style's escape codes when `enabled`, otherwise returns it unchanged.
    public func apply(_ text: String, enabled: Bool) -> String {
        guard enabled, !text.isEmpty else { return text }
        return "\u{1B}[\(rawValue)m\(text)\u{1B}[0m"
    }
}
