// The user-facing library re-exports the types its API speaks in, so `import DNSCascade` is enough to build a
// WorldSpec in code, run it, and read its results (as swift-nio's `NIO` re-exports `NIOCore`).
@_exported public import DNSModel
@_exported public import Reporting
@_exported public import ScenarioLoader
@_exported public import SimKernel
@_exported public import WorldModel
