import AresShim
import DNSModel
import SimKernel

/// The rows of `facts/c-ares.md` "Status codes by server behaviour" (one server, tries 2), as scripts.
enum Fault: String, CaseIterable, Sendable, CustomStringConvertible {
    case answersA, nxDomain, noData, servFail, refused, notImp, formErr
    case truncatedThenTCPAnswer, truncatedNoTCP, truncatedIgnored, answerCutShort
    case shortReply, garbage, wrongID, wrongQuestion, noReply, lateReply, portClosed

    var description: String { rawValue }

    /// How long a normal reply takes.
    static let replyDelay = SimDuration.milliseconds(1)

    /// The server's behaviour, for an attempt timeout `timeout` (the late reply comes at 1.5 × timeout).
    func script(timeout: SimDuration) -> AresLoopback.ServerScript {
        let delay = Fault.replyDelay
        func udp(_ build: @escaping AresLoopback.ReplyBuilder) -> AresLoopback.ServerScript {
            .init(udp: [.reply(after: delay, build)])
        }
        switch self {
        case .answersA: return udp { Replies.answer($0) }
        case .nxDomain: return udp(Replies.nxDomain)
        case .noData: return udp(Replies.noData)
        case .servFail: return udp { Replies.rcode($0, .servFail) }
        case .refused: return udp { Replies.rcode($0, .refused) }
        case .notImp: return udp { Replies.rcode($0, .notImp) }
        case .formErr: return udp { Replies.rcode($0, .formErr) }
        case .truncatedThenTCPAnswer:
            return .init(udp: [.reply(after: delay, Replies.truncated)], tcp: [.reply(after: delay) { Replies.answer($0) }])
        case .truncatedNoTCP: return .init(udp: [.reply(after: delay, Replies.truncated)], tcp: [.refuse])
        case .truncatedIgnored: return udp(Replies.truncated)
        case .answerCutShort: return udp(Replies.cutShort)
        case .shortReply: return udp(Replies.short)
        case .garbage: return udp(Replies.garbage)
        case .wrongID: return udp(Replies.wrongID)
        case .wrongQuestion: return udp(Replies.wrongQuestion)
        case .noReply: return .init(udp: [.silent])
        case .lateReply: return .init(udp: [.reply(after: timeout.scaled(by: 1.5)) { Replies.answer($0) }])
        case .portClosed: return .init(udp: [.portClosed(after: .microseconds(100))])
        }
    }

    /// `ARES_FLAG_IGNTC` for this row.
    var ignoreTruncation: Bool { self == .truncatedIgnored }

    struct Expected: Equatable, CustomStringConvertible {
        var status: AresStatus
        var udp: Int
        var tcp: Int = 0
        var description: String { "\(status) udp=\(udp) tcp=\(tcp)" }
    }

    /// What c-ares 1.18.1 does (the facts table, corrected where the real channel disagrees).
    func expected(noCheckResponse: Bool) -> Expected {
        switch self {
        case .answersA: return .init(status: .success, udp: 1)
        case .nxDomain: return .init(status: .notFound, udp: 1)
        case .noData: return .init(status: .noData, udp: 1)
        case .servFail: return noCheckResponse ? .init(status: .servFail, udp: 1) : .init(status: .connRefused, udp: 2)
        case .refused: return noCheckResponse ? .init(status: .refused, udp: 1) : .init(status: .connRefused, udp: 2)
        case .notImp: return noCheckResponse ? .init(status: .notImp, udp: 1) : .init(status: .connRefused, udp: 2)
        case .formErr: return .init(status: .formErr, udp: 1)
        case .truncatedThenTCPAnswer: return .init(status: .success, udp: 1, tcp: 1)
        case .truncatedNoTCP: return .init(status: .connRefused, udp: 1, tcp: 0)
        case .truncatedIgnored: return .init(status: .noData, udp: 1)
        case .answerCutShort: return .init(status: .badResp, udp: 1)
        case .shortReply, .garbage, .wrongID, .wrongQuestion, .noReply: return .init(status: .timeout, udp: 2)
        case .lateReply: return .init(status: .success, udp: 2)
        // The facts table says 1 query: it counts what reached the server. c-ares 1.18 sends one
        // datagram per try (handle_error → next_server resends to the only server at once).
        case .portClosed: return .init(status: .connRefused, udp: 2)
        }
    }
}
