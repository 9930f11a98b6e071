import Foundation

/// The real Docker engine for the container tests: Debian's `docker.io` and `docker-compose`,
/// with a dockerd that scripts/test starts. There is no registry here, so the one image the tests
/// run is made from the host's static busybox with `docker import`.
public enum DockerEngine {
    /// A static busybox with every applet linked: `sh`, `httpd`, `wget`, `nc`, `dd`, `sleep`.
    public static let image = "vitals-test/tiny"

    /// Fails (never skips) when the engine is not there: the suite must run where CI runs it.
    public static func require() throws {
        guard TestPaths.tool("docker") != nil, TestPaths.tool("docker-compose") != nil else {
            throw MissingPrerequisite(
                "docker and docker-compose are not installed; scripts/test installs docker.io and docker-compose")
        }
        let info = try docker(["info", "--format", "{{.ServerVersion}}"])
        guard info.status == 0 else {
            throw MissingPrerequisite("dockerd does not answer; scripts/test starts it (\(info.output))")
        }
        try ensureImage()
    }

    /// Imports the busybox image once.
    static func ensureImage() throws {
        if try docker(["image", "inspect", image]).status == 0 { return }
        guard FileManager.default.isExecutableFile(atPath: "/bin/busybox") else {
            throw MissingPrerequisite("/bin/busybox is missing; scripts/test installs busybox-static")
        }
        let root = try TestPaths.temporaryDirectory("tiny-rootfs")
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: root + "/bin/busybox")
        let applets = try runCommand("/bin/busybox", ["--list"]).output.split(separator: "\n")
        for applet in applets where applet != "busybox" {
            try FileManager.default.createSymbolicLink(atPath: root + "/bin/\(applet)", withDestinationPath: "busybox")
        }
        let imported = try runCommand(
            "/bin/sh", ["-c", "tar -C '\(root)' -c . | docker import -c 'ENV PATH=/bin' - \(image)"])
        guard imported.status == 0 else { throw MissingPrerequisite("docker import failed: \(imported.output)") }
    }

    public static func docker(_ arguments: [String], timeout: TimeInterval = 60) throws -> (
        status: Int32, output: String
    ) {
        guard let docker = TestPaths.tool("docker") else { throw MissingPrerequisite("docker is not installed") }
        return try runCommand(docker, arguments, timeout: timeout)
    }

    /// `docker-compose -p PROJECT -f FILE ARGS` with extra environment (compose interpolates it).
    public static func compose(
        project: String, file: String, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> (status: Int32, output: String) {
        guard let compose = TestPaths.tool("docker-compose") else {
            throw MissingPrerequisite("docker-compose is not installed")
        }
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return try runCommand(
            "/usr/bin/env", assignments + [compose, "-p", project, "-f", file] + arguments, timeout: 180)
    }

    /// One field of `docker inspect`, such as `{{.State.Status}}`.
    public static func inspect(_ container: String, _ format: String) throws -> String {
        let result = try docker(["inspect", "--format", format, container])
        guard result.status == 0 else { throw MissingPrerequisite("docker inspect \(container): \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Two free consecutive loopback ports, for a published range of two replicas. They are
    /// drawn below Linux's ephemeral range (32768–60999), where other tests' outgoing
    /// connections take their local ports, so that none takes them before docker binds them.
    public static func freePortPair() -> (Int, Int) {
        while true {
            let first = Int.random(in: 20_000..<32_000)
            if isFree(first), isFree(first + 1) { return (first, first + 1) }
        }
    }

    static func isFree(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }
}
