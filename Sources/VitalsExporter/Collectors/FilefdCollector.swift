import VitalsExposition
import VitalsProcFS

/// `filefd`: allocated and maximum file handles from /proc/sys/fs/file-nr.
struct FilefdCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        let fields = ByteText.fields(try procFS.read("sys/fs/file-nr")[...])
        guard fields.count >= 3, let allocated = ByteText.parseDouble(fields[0]),
            let maximum = ByteText.parseDouble(fields[2])
        else {
            throw CollectorError.failed("unexpected number of file stats in \(procFS.path("sys/fs/file-nr"))")
        }
        return [
            .single("node_filefd_allocated", "File descriptor statistics: allocated.", .gauge, allocated),
            .single("node_filefd_maximum", "File descriptor statistics: maximum.", .gauge, maximum),
        ]
    }
}
