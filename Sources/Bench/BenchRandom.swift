import SimKernel

/// The benchmarks' own generator (SplitMix64): the same delays for the `Simulator`, the bare `Heap` and SimPy's
/// uniform draw, and cheap enough not to dominate a hold-model step.
struct BenchRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 { RandomStream.splitMix(&state) }

    /// A hold time: uniform on 1…2048 ns (mean about 1 µs).
    mutating func holdNanoseconds() -> Int64 { Int64(next() >> 53) + 1 }
}
