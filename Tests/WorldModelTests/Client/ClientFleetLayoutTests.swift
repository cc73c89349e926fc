import Testing

@testable import WorldModel

/// A fleet of a million instances is read at random, an instance per event: its size decides how many cache lines
/// each event misses and most of the memory per simulated client (docs/performance.md, scaling).
@Suite("Client fleet layout")
struct ClientFleetLayoutTests {
    @Test("an instance takes 48 bytes: its own random stream, its stub's query-ID state and rotation, its connections")
    func anInstanceTakes48Bytes() {
        #expect(ClientFleet.instanceSize == 48)
    }

    @Test("in the fleet's buffer an instance has a cache line of its own")
    func anInstanceHasALineOfItsOwn() {
        #expect(ClientFleet.instanceSpacing == 64)
    }
}
