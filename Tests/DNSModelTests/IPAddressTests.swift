import Testing

@testable import DNSModel

@Suite struct IPAddressTests {
    @Test func ipv4() throws {
        let address = try #require(IPv4Address("192.0.2.10"))
        #expect(address.bytes == [192, 0, 2, 10])
        #expect(address == IPv4Address(192, 0, 2, 10))
        #expect(address.description == "192.0.2.10")
        #expect(IPv4Address("0.0.0.0")?.value == 0)
        #expect(IPv4Address("255.255.255.255")?.value == UInt32.max)
        #expect(IPv4Address(10, 0, 0, 1) < IPv4Address(10, 0, 0, 2))
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4.", "a.b.c.d", " 1.2.3.4", "1.2.3.-4"])
    func ipv4Invalid(text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test(arguments: [
        ("2001:db8::1", "2001:db8::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // first of two equal runs
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // a single zero group is not compressed
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),  // the longest run wins
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("::FFFF:c000:0201", "::ffff:192.0.2.1"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("fe80:0:0:0:0:0:0:0", "fe80::"),
    ])
    func ipv6FormsAndRFC5952Output(text: String, expected: String) throws {
        let address = try #require(IPv6Address(text))
        #expect(address.description == expected)
        #expect(IPv6Address(expected) == address)
        #expect(IPv6Address(bytes: address.bytes) == address)
    }

    @Test(arguments: [
        "", ":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8", "1:", ":1", "1.2.3.4", "::1.2.3", "::1.2.3.4:5", "1::2:",
    ])
    func ipv6Invalid(text: String) {
        #expect(IPv6Address(text) == nil)
    }

    @Test func ipv6Bytes() throws {
        let address = try #require(IPv6Address("2001:db8::ff00:42:8329"))
        #expect(address.bytes == [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0x42, 0x83, 0x29])
        #expect(address.groups == [0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329])
    }

    @Test func ipAddressEnum() throws {
        #expect(IPAddress("192.0.2.1") == .v4(IPv4Address(192, 0, 2, 1)))
        #expect(IPAddress("2001:db8::1")?.description == "2001:db8::1")
        #expect(IPAddress("nonsense") == nil)
        let sorted = [IPAddress("::1")!, IPAddress("10.0.0.2")!, IPAddress("10.0.0.1")!].sorted()
        #expect(sorted.map(\.description) == ["10.0.0.1", "10.0.0.2", "::1"])
    }
}
