import Logging
import VitalsExposition
import VitalsProcFS

/// `filefd`: allocated and maximum file handles from /proc/sys/fs/file-nr.
struct FilefdCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        let handles = try procFS.fileHandles()
        return [
            .single("node_filefd_allocated", "File descriptor statistics: allocated.", .gauge, handles.allocated),
            .single("node_filefd_maximum", "File descriptor statistics: maximum.", .gauge, handles.maximum),
        ]
    }
}

extension FilefdCollector: CollectorDefinition {
    static let name = "filefd"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
