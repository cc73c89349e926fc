import Foundation
import LiveDNS
import Testing

@Suite(.serialized) struct CalibrationTests {
    /// Every fault kind live (real sockets, real c-ares) and in the model: same status, same number of queries,
    /// latency within 10% + 5 ms. Set CALIBRATION_OUTPUT=path to write the table (docs/calibration.md).
    @Test func liveAgreesWithModel() throws {
        let rows = try Calibration.run()
        let table = Calibration.markdown(rows)
        if let path = ProcessInfo.processInfo.environment["CALIBRATION_OUTPUT"] {
            try table.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(rows.count == Calibration.cases.count)
        for row in rows {
            #expect(row.agrees, "\(row.label): \(table)")
        }
    }
}
