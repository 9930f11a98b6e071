/// The page served at `/`, so that a person who opens the exporter in a browser finds their way.
enum LandingPage {
    static func html(version: String, telemetryPath: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Vitals Exporter</title></head>
        <body>
        <h1>Vitals Exporter</h1>
        <p>A Prometheus exporter for host metrics, compatible with node_exporter. Version \(version).</p>
        <ul>
        <li><a href="\(telemetryPath)">Metrics</a> (<code>\(telemetryPath)</code>; filter with <code>?collect[]=cpu</code>)</li>
        <li><a href="/health">Health</a>, <a href="/health/live">liveness</a>, <a href="/health/ready">readiness</a></li>
        </ul>
        </body>
        </html>

        """
    }
}
