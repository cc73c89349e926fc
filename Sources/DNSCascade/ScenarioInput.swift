public import WorldModel

/// Where a scenario comes from: a file, scenario text, or a world described in Swift.
public enum ScenarioInput: Sendable {
    /// A scenario file (YAML, schema `dnscascade/v1`).
    case file(path: String)
    /// Scenario text; `sourceName` names it in diagnostics.
    case text(String, sourceName: String)
    /// A world built in code (overrides do not apply; the seed option does).
    case spec(WorldSpec)
}
