import VitalsDocuments
import VitalsOrchestrator
import VitalsProbe

/// `vitals check`'s table for people: one row per probe, then each service's state and the stack's.
/// The report itself (and its JSON) belongs to VitalsOrchestrator; how it reads on a terminal
/// belongs to the command line.
enum CheckTable {
    /// The human table: service, endpoint, probe, result, HTTP status, latency, and the error (or,
    /// for a container probe, the container's state and last healthcheck output).
    static func render(_ report: OneShotCheck.Report) -> String {
        var rows: [[String]] = [["SERVICE", "ENDPOINT", "PROBE", "RESULT", "HTTP", "LATENCY", "DETAIL"]]
        for service in report.services {
            if service.endpoints.isEmpty { rows.append([service.name, "-", "-", "no endpoints", "", "", ""]) }
            for endpoint in service.endpoints {
                if endpoint.probes.isEmpty {
                    rows.append([service.name, endpoint.address, "-", "no probes", "", "", ""])
                }
                for probe in endpoint.probes {
                    rows.append([
                        service.name, endpoint.address, probe.probe, probe.success ? "ok" : "FAIL",
                        probe.statusCode.map(String.init) ?? "",
                        NumberText.rounded(probe.durationSeconds * 1000, places: 1) + " ms",
                        Self.detail(probe),
                    ])
                }
            }
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index])
            }.joined(separator: "  ").trimmingTrailing()
        }
        lines.append("")
        for service in report.services {
            let state = service.ready ? "ready" : "NOT READY"
            lines.append("\(service.name): \(state)" + (service.live ? "" : ", not live"))
        }
        lines.append(report.ready ? "stack \(report.stack): ready" : "stack \(report.stack): NOT READY")
        return lines.joined(separator: "\n") + "\n"
    }

    static func detail(_ probe: OneShotCheck.ProbeReport) -> String {
        if let error = probe.error { return error }
        guard let container = probe.container else { return "" }
        return "\(container.name): \(container.summary)"
            + (container.lastHealthOutput.map { " (last check: \($0))" } ?? "")
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    func trimmingTrailing() -> String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}
