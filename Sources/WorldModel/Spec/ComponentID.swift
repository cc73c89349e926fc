import DNSModel
import Synchronization

/// A stable, readable component identity: `kind/name` (`resolver/isp-1`).
///
/// An identity is one word: a reference to the process-wide entry for its `kind/name`, made once by the first
/// `init` and shared by every identity with the same kind and name. Copying one (into every trace event, report and
/// state lookup of a run) costs no reference counting, and `==` compares the references. Entries are never freed: a
/// process holds one per distinct component name it has seen (a few hundred for a scenario, the same for every seed).
public struct ComponentID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Comparable, Sendable, CaseIterable {
        case authority, resolver, endpoint, client, fault, `operator`
        /// DNS automation (a management plane: planner and enactors).
        case automation
        /// An internal service built from a reusable mechanism (lease manager, …).
        case service
        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Never released: ``Entry/interned`` keeps every entry alive for the life of the process.
    private unowned(unsafe) let entry: Entry

    public init(_ kind: Kind, _ name: String) {
        entry = Entry.interned(kind, name)
    }

    public var kind: Kind { entry.kind }
    public var name: String { entry.name }
    /// ``ByteDigest`` of `kind/name`, computed once per entry: hashing an identity is hashing one word
    /// (``ComponentStates`` also indexes its cache with it).
    var fingerprint: UInt64 { entry.fingerprint }

    public static func == (lhs: ComponentID, rhs: ComponentID) -> Bool { lhs.entry === rhs.entry }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entry.fingerprint)
    }

    /// Parses `kind/name`.
    public init?(parsing text: String) {
        guard let slash = text.firstIndex(of: "/"), let kind = Kind(rawValue: String(text[..<slash])) else { return nil }
        let name = String(text[text.index(after: slash)...])
        guard !name.isEmpty else { return nil }
        self.init(kind, name)
    }

    public var description: String { "\(kind.rawValue)/\(name)" }

    public static func < (lhs: ComponentID, rhs: ComponentID) -> Bool {
        (lhs.kind, lhs.name) < (rhs.kind, rhs.name)
    }

    /// The one shared entry of a `kind/name`.
    private final class Entry: Sendable {
        let kind: Kind
        let name: String
        let fingerprint: UInt64

        private init(kind: Kind, name: String) {
            self.kind = kind
            self.name = name
            var text = "\(kind.rawValue)/\(name)"
            self.fingerprint = text.withUTF8 { ByteDigest.of(UnsafeRawBufferPointer($0)) }
        }

        private struct Key: Hashable {
            var kind: Kind
            var name: String
        }

        /// Every entry made so far, by kind and name.
        private static let table = Mutex<[Key: Entry]>([:])

        static func interned(_ kind: Kind, _ name: String) -> Entry {
            table.withLock { table in
                let key = Key(kind: kind, name: name)
                if let entry = table[key] { return entry }
                let entry = Entry(kind: kind, name: name)
                table[key] = entry
                return entry
            }
        }
    }
}
