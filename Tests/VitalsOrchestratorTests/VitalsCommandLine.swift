import Foundation
import VitalsTestSupport

/// Runs the real `vitals` executable, as an operator or a script would.
enum VitalsCommandLine {
    static var executable: String { TestPaths.product("vitals") }

    /// Writes a stack file into a fresh directory and returns its path.
    static func writeStack(_ yaml: String, name: String = "stack.yaml") throws -> String {
        let path = try TestPaths.temporaryDirectory("stack") + "/" + name
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A stack of one FastAPI service at `127.0.0.1:port`, probed with the kind's defaults.
    static func writeSingleAPIStack(port: Int) throws -> String {
        try writeStack(
            """
            name: shop
            services:
              api:
                kind: fastapi
                endpoints: ["127.0.0.1:\(port)"]
            """)
    }

    /// Runs `vitals` to completion off the cooperative pool.
    static func run(_ arguments: [String], timeout: TimeInterval = 60) async throws -> (status: Int32, output: String) {
        try await blocking { try runCommand(executable, arguments, timeout: timeout) }
    }

    static func start(_ arguments: [String]) throws -> ManagedProcess {
        try ManagedProcess(executable, arguments)
    }
}
