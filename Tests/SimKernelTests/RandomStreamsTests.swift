import SimKernel
import Testing

/// Per-label streams, splits and Monte Carlo run seeds.
@Suite struct RandomStreamsTests {
    private func draws(_ stream: RandomStream, _ count: Int = 32) -> [UInt64] {
        var stream = stream
        return (0..<count).map { _ in stream.next() }
    }

    @Test func sameSeedAndLabelGiveTheSameStream() {
        let streams = RandomStreams(seed: 42)
        #expect(streams.seed == 42)
        #expect(draws(streams.stream("resolver/isp-1")) == draws(RandomStreams(seed: 42).stream("resolver/isp-1")))
        #expect(draws(streams.stream("resolver/isp-1")) == draws(RandomStream(seed: 42, label: "resolver/isp-1")))
    }

    @Test func differentLabelsOrSeedsGiveDifferentStreams() {
        let labels = ["client/app-1", "client/app-2", "resolver/isp-1", "authority/a", "", "a", "b"]
        let streams = RandomStreams(seed: 42)
        let all = labels.map { draws(streams.stream($0)) }
        #expect(Set(all).count == labels.count)
        #expect(draws(RandomStreams(seed: 43).stream("client/app-1")) != all[0])
        // No two streams share even a single early value.
        #expect(Set(all.flatMap { $0 }).count == labels.count * 32)
    }

    @Test func streamCreationOrderDoesNotMatter() {
        let labels = ["server/x", "client/a", "client/b", "client/c"]
        let streams = RandomStreams(seed: 7)
        var forward: [String: [UInt64]] = [:]
        for label in labels { forward[label] = draws(streams.stream(label)) }
        var backward: [String: [UInt64]] = [:]
        var interleaved = labels.reversed().map { streams.stream($0) }
        // Draw from the streams in round-robin order, so creation and use interleave.
        var collected = [[UInt64]](repeating: [], count: labels.count)
        for _ in 0..<32 {
            for i in interleaved.indices { collected[i].append(interleaved[i].next()) }
        }
        for (i, label) in labels.reversed().enumerated() { backward[label] = collected[i] }
        #expect(forward == backward)
    }

    @Test func splitIsDeterministicAndIndependentOfTheParent() {
        let parent = RandomStream(seed: 3, label: "component")
        let childA = parent.split("a")
        let childB = parent.split("b")
        #expect(draws(childA) == draws(parent.split("a")))
        #expect(draws(childB) == draws(parent.split("b")))
        #expect(draws(childA) != draws(childB))
        // A child shares no values with the parent's own future draws.
        #expect(Set(draws(childA, 256)).isDisjoint(with: draws(parent, 256)))
        #expect(draws(childA) != draws(RandomStream(seed: 3, label: "a")))

        // A split taken after the parent has drawn comes from a different state.
        var advanced = parent
        _ = advanced.next()
        #expect(draws(advanced.split("a")) != draws(childA))
    }

    @Test func runSeeds() {
        let streams = RandomStreams(seed: 1_234)
        #expect(streams.runSeed(0) == 1_234)
        let seeds = (0..<100).map { streams.runSeed($0) }
        #expect(Set(seeds).count == 100)
        #expect(seeds == (0..<100).map { RandomStreams(seed: 1_234).runSeed($0) })
        #expect(RandomStreams(seed: 1_235).runSeed(1) != streams.runSeed(1))
    }
}
