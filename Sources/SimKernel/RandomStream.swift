import Foundation

/// A seeded pseudo-random stream (xoshiro256**), one per component.
///
/// Streams are derived from a run seed and a stable label (`"resolver/isp-1"`), so adding a
/// component never shifts the numbers another component draws. Every derivation uses fixed
/// arithmetic (SplitMix64, FNV-1a): the same seed and label give the same numbers on every machine.
///
/// ```swift
/// var rng = RandomStreams(seed: 42).stream("client/app-1")
/// let jitter = rng.uniform(0.0, 1.0)
/// ```
public struct RandomStream: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A stream from a seed and a label.
    public init(seed: UInt64, label: String) {
        self.init(seed: seed, label: Label(label))
    }

    /// A stream from a seed and a label hashed already (the same stream as from the label's text).
    public init(seed: UInt64, label: Label) {
        var mix = seed ^ label.hash
        s0 = RandomStream.splitMix(&mix)
        s1 = RandomStream.splitMix(&mix)
        s2 = RandomStream.splitMix(&mix)
        s3 = RandomStream.splitMix(&mix)
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// A child stream, independent of this one's future draws, derived from this stream's state and a label.
    public func split(_ label: String) -> RandomStream {
        RandomStream(seed: s0 ^ RandomStream.rotl(s1, 17) ^ RandomStream.rotl(s2, 31) ^ s3, label: label)
    }

    public mutating func next() -> UInt64 {
        let result = RandomStream.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = RandomStream.rotl(s3, 45)
        return result
    }

    /// A double uniformly distributed in [0, 1), with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A double uniformly distributed in [lower, upper).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextUnit()
    }

    /// An integer uniformly distributed in 0..<bound (Lemire's method, unbiased).
    public mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return m.high
    }

    /// An integer uniformly distributed in the closed range.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(bitPattern: Int64(range.upperBound) &- Int64(range.lowerBound)) &+ 1
        if width == 0 { return Int(truncatingIfNeeded: next()) }
        return range.lowerBound &+ Int(truncatingIfNeeded: below(width))
    }

    /// `true` with the given probability.
    public mutating func bernoulli(_ probability: Double) -> Bool { nextUnit() < probability }

    /// An exponentially distributed value with the given mean.
    public mutating func exponential(mean: Double) -> Double {
        -mean * log(1.0 - nextUnit())
    }

    /// A normally distributed value (Box–Muller; one draw per call for reproducibility).
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        let u1 = 1.0 - nextUnit()
        let u2 = nextUnit()
        return mean + standardDeviation * (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// A log-normally distributed value with the given median and shape `sigma`.
    public mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * exp(normal(mean: 0, standardDeviation: sigma))
    }

    /// A uniformly random duration in [lower, upper].
    public mutating func duration(_ lower: SimDuration, _ upper: SimDuration) -> SimDuration {
        guard upper > lower else { return lower }
        let width = UInt64(upper.nanoseconds - lower.nanoseconds) &+ 1
        return SimDuration(nanoseconds: lower.nanoseconds + Int64(below(width)))
    }

    /// 64-bit FNV-1a over the label's UTF-8 bytes: a hash that is the same on every machine and run.
    public static func fnv1a(_ text: String) -> UInt64 {
        Label(text).hash
    }

    /// A label's FNV-1a hash, built piece by piece: the labels of a million instances (`client/app/123456`) share
    /// their prefix, which is hashed once, and their number is hashed digit by digit, without making a string
    /// (which, past 15 bytes, is an allocation).
    ///
    /// ```swift
    /// let prefix = RandomStream.Label("client/app/")
    /// prefix.appending(42).appending("/stub").hash == RandomStream.fnv1a("client/app/42/stub")   // true
    /// ```
    public struct Label: Hashable, Sendable {
        /// The FNV-1a hash of the text so far.
        public private(set) var hash: UInt64 = 0xcbf2_9ce4_8422_2325

        public init(_ text: String) { self = Label().appending(text) }

        private init() {}

        /// The label followed by `text`.
        public func appending(_ text: String) -> Label {
            var label = self
            for byte in text.utf8 { label.add(byte) }
            return label
        }

        /// The label followed by `number` in decimal, as `"\(number)"` writes it.
        public func appending(_ number: Int) -> Label {
            var label = self
            if number < 0 { label.add(UInt8(ascii: "-")) }
            var magnitude = number.magnitude
            var divisor: UInt = 1
            while magnitude / divisor >= 10 { divisor *= 10 }
            while divisor > 0 {
                label.add(UInt8(ascii: "0") + UInt8(magnitude / divisor))
                magnitude %= divisor
                divisor /= 10
            }
            return label
        }

        private mutating func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
    }

    /// One step of SplitMix64 (Steele, Lea and Flood): advances `state` by the golden-ratio increment and returns its
    /// mixed value. Used to seed streams, and wherever a fixed, portable 64-bit mixer is wanted.
    public static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// The source of every component's random stream in one run.
public struct RandomStreams: Sendable {
    /// The run seed.
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// The stream for a component label. The same label always gives the same stream.
    public func stream(_ label: String) -> RandomStream {
        RandomStream(seed: seed, label: label)
    }

    /// The same for a label hashed already (``RandomStream/Label``).
    public func stream(_ label: RandomStream.Label) -> RandomStream {
        RandomStream(seed: seed, label: label)
    }

    /// A derived run seed for Monte Carlo run `index` (0-based); run 0 keeps the scenario seed.
    public func runSeed(_ index: Int) -> UInt64 {
        if index == 0 { return seed }
        var stream = RandomStream(seed: seed, label: "run/\(index)")
        return stream.next()
    }
}
