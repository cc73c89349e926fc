/// A JSON value whose objects keep their keys in the order written, so output has a stable, documented field order.
///
/// ```swift
/// let value: JSONValue = .object([("schemaVersion", .int(1)), ("name", .string("tiny"))])
/// value.serialized(pretty: false)   // {"schemaVersion":1,"name":"tiny"}
/// ```
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    /// Written in Swift's shortest round-trip form; non-finite values are written as `null`.
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Keys in the order given (duplicates are the caller's mistake).
    case object([Field])

    /// One key and its value.
    public struct Field: Hashable, Sendable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// An object from `(key, value)` pairs, in order.
    public static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(pairs.map { Field($0.0, $0.1) })
    }

    /// A string, or `null` when absent.
    public static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// The value as JSON text. `pretty` puts every object field and every array element of objects or arrays on its
    /// own line (two-space indent); arrays of scalars stay on one line. No trailing newline.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0)
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private func write(to out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += "\(n)"
        case .uint(let n): out += "\(n)"
        case .double(let d): out += d.isFinite ? JSONValue.number(d) : "null"
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty {
                out += "[]"
            } else if !pretty || items.allSatisfy(\.isScalar) {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += pretty ? ", " : "," }
                    item.write(to: &out, pretty: pretty, indent: indent)
                }
                out += "]"
            } else {
                out += "[\n"
                for (i, item) in items.enumerated() {
                    out += String(repeating: "  ", count: indent + 1)
                    item.write(to: &out, pretty: pretty, indent: indent + 1)
                    out += i == items.count - 1 ? "\n" : ",\n"
                }
                out += String(repeating: "  ", count: indent) + "]"
            }
        case .object(let fields):
            if fields.isEmpty {
                out += "{}"
            } else if !pretty {
                out += "{"
                for (i, field) in fields.enumerated() {
                    if i > 0 { out += "," }
                    JSONValue.writeString(field.key, to: &out)
                    out += ":"
                    field.value.write(to: &out, pretty: false, indent: 0)
                }
                out += "}"
            } else {
                out += "{\n"
                for (i, field) in fields.enumerated() {
                    out += String(repeating: "  ", count: indent + 1)
                    JSONValue.writeString(field.key, to: &out)
                    out += ": "
                    field.value.write(to: &out, pretty: true, indent: indent + 1)
                    out += i == fields.count - 1 ? "\n" : ",\n"
                }
                out += String(repeating: "  ", count: indent) + "}"
            }
        }
    }

    /// Integral values in range as integers with `.0`-free digits is *not* done: `1.0` stays `1.0` (still valid JSON).
    private static func number(_ d: Double) -> String { "\(d)" }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
