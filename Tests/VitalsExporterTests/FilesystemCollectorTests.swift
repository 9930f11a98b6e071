import Foundation
import Synchronization
import Testing
import VitalsExposition
import VitalsSystem
import VitalsTestSupport
import VitalsTestTraits

@testable import VitalsExporter
@testable import VitalsProcFS

/// A stand-in for one NFS mount that stops answering: its statfs blocks until released.
final class HangingMount: @unchecked Sendable {
    let hangingPath: String
    /// Guards `released`; blocked calls wait on it until `release()` wakes them all.
    private let gate = NSCondition()
    private var released = false
    private let asked = Mutex(0)

    /// How many times the hung mount was asked.
    var hangingCalls: Int { asked.withLock { $0 } }

    init(hangingPath: String) {
        self.hangingPath = hangingPath
    }

    func release() {
        gate.lock()
        released = true
        gate.broadcast()
        gate.unlock()
    }

    func stat(_ path: String) throws(FileSystemError) -> FilesystemUsage {
        if path == hangingPath {
            asked.withLock { $0 += 1 }
            gate.lock()
            while !released { gate.wait() }
            gate.unlock()
        }
        return FilesystemUsage(sizeBytes: 1000, freeBytes: 400, availableBytes: 300, files: 10, filesFree: 5)
    }
}

@Suite(.blockingWork) struct FilesystemCollectorTests {
    /// A procfs with a mountinfo of three mounts, one of them NFS.
    static func procFS() throws -> ProcFS {
        let root = try TestPaths.temporaryDirectory("procfs")
        try FileManager.default.createDirectory(atPath: root + "/1", withIntermediateDirectories: true)
        let mounts = """
            27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
            30 27 0:40 / /srv/nfs rw,relatime - nfs4 server:/export rw,vers=4.2
            31 27 0:41 / /data ro,relatime - xfs /dev/vdb rw
            32 27 0:42 / /proc rw - proc proc rw

            """
        try mounts.write(toFile: root + "/1/mountinfo", atomically: true, encoding: .utf8)
        return ProcFS(root: root)
    }

    static func value(_ families: [MetricFamily], _ name: String, mountPoint: String) -> (Double, [Label])? {
        guard let family = families.first(where: { $0.name == name }),
            let metric = family.metrics.first(where: { $0.labels.contains(Label("mountpoint", mountPoint)) }),
            case .sample(let value) = metric.value
        else { return nil }
        return (value, metric.labels)
    }

    @Test func stuckMountIsReportedAndSkippedUntilItAnswers() async throws {
        var configuration = ExporterConfiguration()
        configuration.procFS = try Self.procFS()
        var options = try FilesystemOptions(flags: CollectorFlagValues())
        options.mountTimeout = .milliseconds(200)
        let mount = HangingMount(hangingPath: "/srv/nfs")
        let collector = try FilesystemCollector(configuration: configuration, options: options) {
            path throws(FileSystemError) in
            try mount.stat(path)
        }

        // The mount never answers: the scrape must finish anyway. Run on a thread of its own, so
        // that a scrape that waits on the mount fails this test instead of hanging it.
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? collector.collect()
            finished.signal()
        }
        guard finished.wait(timeout: .now() + 10) == .success else {
            Issue.record("the scrape waited on the hung mount")
            mount.release()
            return
        }
        let families = try collector.collect()
        let nfsError = try #require(Self.value(families, "node_filesystem_device_error", mountPoint: "/srv/nfs"))
        #expect(nfsError.0 == 1)
        #expect(nfsError.1.contains(Label("device_error", "mountpoint timeout")))
        #expect(Self.value(families, "node_filesystem_size_bytes", mountPoint: "/srv/nfs") == nil)
        #expect(Self.value(families, "node_filesystem_size_bytes", mountPoint: "/")?.0 == 1000)
        #expect(Self.value(families, "node_filesystem_readonly", mountPoint: "/data")?.0 == 1)
        #expect(Self.value(families, "node_filesystem_size_bytes", mountPoint: "/proc") == nil)
        // While stuck, the mount is not asked again, so scrapes do not pile up threads on it.
        _ = try collector.collect()
        #expect(mount.hangingCalls == 1)

        mount.release()
        try #require(await eventually(within: 5) { collector.stuckMounts.withLock { $0.isEmpty } })
        let recovered = try collector.collect()
        #expect(Self.value(recovered, "node_filesystem_device_error", mountPoint: "/srv/nfs")?.0 == 0)
        #expect(Self.value(recovered, "node_filesystem_size_bytes", mountPoint: "/srv/nfs")?.0 == 1000)
    }

    @Test func statfsErrorsBecomeDeviceErrorLabels() throws {
        var configuration = ExporterConfiguration()
        configuration.procFS = try Self.procFS()
        let collector = try FilesystemCollector(
            configuration: configuration, options: FilesystemOptions(flags: CollectorFlagValues())
        ) {
            path throws(FileSystemError) in
            if path == "/data" { throw FileSystemError(path: path, operation: "statfs", errorNumber: EACCES) }
            return FilesystemUsage(sizeBytes: 1, freeBytes: 1, availableBytes: 1, files: 1, filesFree: 1)
        }
        let families = try collector.collect()
        let error = try #require(Self.value(families, "node_filesystem_device_error", mountPoint: "/data"))
        #expect(error.0 == 1)
        #expect(error.1.contains(Label("device_error", "permission denied")))
    }

    @Test func mountPointsAreReportedRelativeToRootFS() throws {
        var configuration = ExporterConfiguration()
        configuration.rootFS = "/host"
        #expect(configuration.stripRootFS("/host/srv") == "/srv")
        #expect(configuration.stripRootFS("/host") == "/")
        #expect(configuration.stripRootFS("/other") == "/other")
        #expect(configuration.rootFSPath("/srv") == "/host/srv")
    }
}
