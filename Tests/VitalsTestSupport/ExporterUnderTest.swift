import Foundation

/// A running `vitals-exporter` (or node_exporter) on a loopback port.
public final class ExporterUnderTest: @unchecked Sendable {
    public let process: ManagedProcess
    public let port: Int

    /// Starts the built `vitals-exporter` on a free loopback port with extra flags.
    /// - Parameter launcher: a command that runs the exporter, such as `prlimit --nofile=1024:1024 --`.
    public convenience init(
        vitalsArguments arguments: [String], currentDirectory: String? = nil, environment: [String: String]? = nil,
        launcher: [String] = []
    ) throws {
        try self.init(
            executable: TestPaths.product("vitals-exporter"), arguments: arguments, readyText: "Listening on",
            currentDirectory: currentDirectory, environment: environment, launcher: launcher)
    }

    /// Starts Debian's node_exporter 1.5.0 on a free loopback port with extra flags.
    public convenience init(nodeExporterArguments arguments: [String], environment: [String: String]? = nil) throws {
        guard let executable = TestPaths.tool("prometheus-node-exporter") else {
            throw MissingPrerequisite(
                "prometheus-node-exporter is not installed; run scripts/test, which installs it with apt-get")
        }
        try self.init(executable: executable, arguments: arguments, readyText: "Listening on", environment: environment)
    }

    public init(
        executable: String, arguments: [String], readyText: String, currentDirectory: String? = nil,
        environment: [String: String]? = nil, launcher: [String] = []
    ) throws {
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = freePort()
            let command = launcher + [executable, "--web.listen-address=127.0.0.1:\(port)"] + arguments
            let process = try ManagedProcess(
                command[0], Array(command.dropFirst()), environment: environment, currentDirectory: currentDirectory)
            do {
                _ = try process.waitForLine { $0.contains(readyText) }
                self.process = process
                self.port = port
                return
            } catch {
                lastError = error
                process.stop()
            }
        }
        throw lastError ?? MissingPrerequisite("could not start \(executable)")
    }

    public func get(_ path: String, headers: [String: String] = [:]) throws -> HTTPTestResponse {
        try httpGet(port: port, path: path, headers: headers)
    }

    /// Scrapes `path` and fails on a non-200 answer.
    public func scrape(_ path: String = "/metrics") throws -> String {
        let response = try get(path)
        guard response.status == 200 else {
            throw MissingPrerequisite("GET \(path) answered \(response.status): \(response.bodyText)")
        }
        return response.bodyText
    }

    deinit { process.stop() }
}
