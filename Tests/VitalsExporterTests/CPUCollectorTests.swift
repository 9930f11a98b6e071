import Foundation
import Logging
import Testing
import VitalsExposition
import VitalsProcFS
import VitalsTestSupport

@testable import VitalsExporter

/// The cpu collector builds its time families in the exposition's order, so that the merge has
/// nothing to sort: by CPU number as text ("10" before "2"), then by mode.
@Suite struct CPUCollectorTests {
    @Test func timesComeInTheExpositionsOrder() throws {
        let root = try TestPaths.temporaryDirectory("cpu-proc")
        var stat = "cpu  10 1 5 100 2 0 1 0 3 1\n"
        for number in 0..<12 { stat += "cpu\(number) \(number) 1 5 100 2 0 1 0 3 1\n" }
        stat += "intr 1 0\nctxt 5\nbtime 1700000000\nprocesses 10\nprocs_running 1\nprocs_blocked 0\n"
        try stat.write(toFile: root + "/stat", atomically: true, encoding: .utf8)
        var configuration = ExporterConfiguration()
        configuration.procFS = ProcFS(root: root)
        configuration.sysFS = SysFS(root: root + "/no-sys")
        let families = try CPUCollector(configuration: configuration, logger: Logger(label: "test")).collect()
        for name in ["node_cpu_seconds_total", "node_cpu_guest_seconds_total"] {
            let family = try #require(families.first { $0.name == name })
            var sorted = family
            sorted.normalize()
            #expect(family.metrics == sorted.metrics, "\(name) needed sorting")
        }
        let seconds = try #require(families.first { $0.name == "node_cpu_seconds_total" })
        #expect(seconds.metrics.count == 12 * 8)
        #expect(seconds.metrics.first?.labels == [Label("cpu", "0"), Label("mode", "idle")])
        #expect(seconds.metrics[8].labels == [Label("cpu", "1"), Label("mode", "idle")])
        #expect(seconds.metrics[16].labels == [Label("cpu", "10"), Label("mode", "idle")])
        #expect(seconds.metrics.last?.labels == [Label("cpu", "9"), Label("mode", "user")])
        #expect(seconds.metrics.last.map(\.value) == .sample(0.09), "9 ticks of USER_HZ")
    }
}
