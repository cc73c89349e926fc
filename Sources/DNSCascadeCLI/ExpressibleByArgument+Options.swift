public import ArgumentParser
import DNSCascade

/// `--format` (reports and sweeps) and `--color` values are parsed by their raw values (`text`, `json`, …; `auto`, `always`, `never`).
extension ReportFormat: ExpressibleByArgument {}
extension ColorMode: ExpressibleByArgument {}
extension SweepFormat: ExpressibleByArgument {}
