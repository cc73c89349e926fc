/// The benchmarks' own generator (SplitMix64): the same delays for the `Simulator`, the bare `Heap` and SimPy's
/// uniform draw, and cheap enough not to dominate a hold-model step.
struct BenchRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A hold time: uniform on 1…2048 ns (mean about 1 µs).
    mutating func holdNanoseconds() -> Int64 { Int64(next() >> 53) + 1 }
}
