import VitalsPageStyle

/// The page served at `/`, so that a person who opens the exporter in a browser finds their way:
/// its version, each enabled collector with its last run's duration and result, and links. It has
/// the status page's look (VitalsPageStyle), with its stylesheet inline: the exporter serves no
/// other asset.
enum LandingPage {
    struct Collector {
        var name: String
        /// The last run, or nil before the first.
        var seconds: Double?
        var succeeded: Bool?
        /// Failed only for want of data on this host.
        var noData = false
    }

    static func html(version: String, telemetryPath: String, collectors: [Collector]) -> String {
        let path = PageStyle.escape(telemetryPath)
        let failed = collectors.filter { $0.succeeded == false && !$0.noData }.count
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Vitals Exporter</title>
            <style>
            \(PageStyle.base)table { border-collapse: collapse; }
            th, td { text-align: left; padding: .15rem 1rem .15rem 0; border-bottom: 1px solid var(--border); }
            td.number { text-align: right; font-variant-numeric: tabular-nums; }
            </style>
            </head>
            <body>
            <header>
            <h1>Vitals Exporter</h1>
            <p class="meta">A Prometheus exporter for host metrics, compatible with node_exporter. Version \(PageStyle.escape(version)).</p>
            </header>
            <main>
            <section aria-labelledby="links-heading">
            <h2 id="links-heading">Endpoints</h2>
            <ul>
            <li><a href="\(path)">Metrics</a> (<code>\(path)</code>; filter with <code>?collect[]=cpu</code>)</li>
            <li><a href="/health">Health</a>, <a href="/health/live">liveness</a>, <a href="/health/ready">readiness</a></li>
            </ul>
            </section>
            <section aria-labelledby="collectors-heading">
            <h2 id="collectors-heading">Collectors</h2>
            <p>\(collectors.count) enabled\(failed > 0 ? ", <span class=\"badge state-down\">\(failed) failed</span> in their last run" : "").</p>
            <table>
            <thead><tr><th scope="col">Collector</th><th scope="col">Last run</th><th scope="col">Duration</th></tr></thead>
            <tbody>

            """
        for collector in collectors {
            let result: String
            switch (collector.succeeded, collector.noData) {
            case (true?, _): result = "<span class=\"badge state-ready\">ok</span>"
            case (false?, true): result = "<span class=\"badge state-degraded\">no data</span>"
            case (false?, false): result = "<span class=\"badge state-down\">failed</span>"
            case (nil, _): result = "not run yet"
            }
            let duration = collector.seconds.map { Self.milliseconds($0) } ?? ""
            out += "<tr><td>\(PageStyle.escape(collector.name))</td><td>\(result)</td>"
            out += "<td class=\"number\">\(duration)</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</section>\n</main>\n</body>\n</html>\n"
        return out
    }

    /// `1.25 ms`, without Foundation.
    static func milliseconds(_ seconds: Double) -> String {
        let hundredths = Int((seconds * 100_000).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) ms"
    }
}
