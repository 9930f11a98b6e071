import Glibc
import VitalsSystem

/// The directory `vitals provision` writes into: what would change, and writing it safely.
///
/// What the provisioner owns is recorded in a manifest in the output directory: each generated
/// path with the hash of what was written. Only those files are ever replaced or removed, and only
/// while they still hold exactly what was written; a file someone edited, or wrote themselves, is
/// reported with a diff and left alone unless `force` is given. A file the manifest does not list
/// is never deleted, whatever it contains.
///
/// Files are staged in a hidden directory inside the output directory and renamed into place,
/// so every file is replaced atomically and a failure while staging leaves nothing behind.
public struct OutputDirectory: Sendable {
    public let root: String

    /// The manifest's path inside the output directory.
    public static let manifestPath = ".vitals-provision.manifest"

    public init(root: String) {
        self.root = root
    }

    /// What writing `files` would do.
    public struct Plan: Sendable {
        public var created: [GeneratedFile] = []
        public var updated: [(file: GeneratedFile, old: String)] = []
        public var unchanged: [String] = []
        /// Generated files of an earlier run that this run no longer writes, untouched since.
        public var removed: [(path: String, old: String)] = []
        /// Files in the way that the manifest does not list: someone else's.
        public var handWritten: [(file: GeneratedFile, old: String)] = []
        /// Generated files edited since they were written: replaced only with `force`.
        public var edited: [(file: GeneratedFile, old: String)] = []
        /// Generated files no longer produced but edited since: removed only with `force`.
        public var editedStale: [(path: String, old: String)] = []
        /// The manifest to write afterwards.
        public var manifest = GeneratedFile(path: OutputDirectory.manifestPath, contents: "")
        /// Whether the manifest on disk differs from ``manifest``.
        public var manifestChanges = false

        public init(
            handWritten: [(file: GeneratedFile, old: String)] = [], edited: [(file: GeneratedFile, old: String)] = [],
            editedStale: [(path: String, old: String)] = []
        ) {
            self.handWritten = handWritten
            self.edited = edited
            self.editedStale = editedStale
        }

        public var hasChanges: Bool {
            !created.isEmpty || !updated.isEmpty || !removed.isEmpty || manifestChanges
        }

        /// Files that only `force` may replace or remove.
        public var conflicts: [String] {
            (handWritten.map(\.file.path) + edited.map(\.file.path) + editedStale.map(\.path)).sorted()
        }
    }

    public func plan(_ files: [GeneratedFile]) -> Plan {
        var plan = Plan()
        let manifest = Self.read(root + "/" + Self.manifestPath).map(Manifest.parse)
        let generated = Set(files.map(\.path))
        // Thousands of files for a large stack: read on every core.
        let existing = files.concurrentMap { [root] file in Self.read(root + "/" + file.path) }
        for (file, existing) in zip(files, existing) {
            guard let old = existing else {
                plan.created.append(file)
                continue
            }
            if old == file.contents {
                plan.unchanged.append(file.path)
            } else if let manifest {
                switch manifest.hashes[file.path] {
                case Manifest.hash(old)?: plan.updated.append((file, old))
                case _?: plan.edited.append((file, old))
                case nil: plan.handWritten.append((file, old))
                }
            } else if old.contains(Provisioner.marker) {
                // An output directory from before manifests: the path is one this run generates and
                // the file carries the marker, so it was generated. Nothing is removed on this basis.
                plan.updated.append((file, old))
            } else {
                plan.handWritten.append((file, old))
            }
        }
        for (path, hash) in manifest?.hashes.sorted(by: { $0.key < $1.key }) ?? [] where !generated.contains(path) {
            guard let old = Self.read(root + "/" + path) else { continue }
            if Manifest.hash(old) == hash {
                plan.removed.append((path, old))
            } else {
                plan.editedStale.append((path, old))
            }
        }
        plan.manifest = GeneratedFile(path: Self.manifestPath, contents: Manifest(files: files).text)
        plan.manifestChanges = Self.read(root + "/" + Self.manifestPath) != plan.manifest.contents
        return plan
    }

    /// A unified diff of everything the plan would change, edits made by people included.
    public func diff(_ plan: Plan) -> String {
        var output = ""
        for file in plan.created {
            output += UnifiedDiff.diff(old: "", new: file.contents, oldName: "/dev/null", newName: "b/\(file.path)")
        }
        for (file, old) in plan.updated + plan.edited + plan.handWritten {
            output += UnifiedDiff.diff(
                old: old, new: file.contents, oldName: "a/\(file.path)", newName: "b/\(file.path)")
        }
        for (path, old) in plan.removed + plan.editedStale {
            output += UnifiedDiff.diff(old: old, new: "", oldName: "a/\(path)", newName: "/dev/null")
        }
        return output
    }

    /// Writes the plan: stages, then renames into place, then removes stale generated files, then
    /// writes the manifest. With conflicts and without `force` it writes nothing at all.
    public func apply(_ plan: Plan, force: Bool) throws(ProvisionError) {
        if !plan.conflicts.isEmpty, !force {
            throw .conflicts(
                handWritten: plan.handWritten.map(\.file.path), edited: plan.edited.map(\.file.path),
                editedStale: plan.editedStale.map(\.path))
        }
        let writes =
            plan.created + plan.updated.map(\.file) + plan.edited.map(\.file) + plan.handWritten.map(\.file)
            + [plan.manifest]
        let staging = root + "/.vitals-provision-\(getpid())"
        defer { try? FileAccess.removeTree(staging) }
        do throws(FileSystemError) {
            try FileAccess.makeDirectories(root)
            // Stage everything first: if anything fails here, nothing in the output has changed.
            // One flush of the file system then makes every staged file durable before any is
            // renamed over the file it replaces (a flush per file costs more than all the rest).
            var directories: Set<String> = []
            for file in writes {
                let path = staging + "/" + file.path
                let directory = FileAccess.parentDirectory(of: path)
                if directories.insert(directory).inserted { try FileAccess.makeDirectories(directory) }
                try FileAccess.createFile(Array(file.contents.utf8), at: path)
            }
            try FileAccess.syncFileSystem(containing: staging)
        } catch {
            // A staged file is named by the path it was to take.
            let path = error.path.hasPrefix(staging) ? root + error.path.dropFirst(staging.count) : error.path
            throw .cannotWrite(path: path, reason: error.reason)
        }
        // The manifest goes last, so that an interrupted run leaves the old one, which still
        // describes every file it lists that is unchanged.
        var targets: Set<String> = [root]
        for file in writes where file.path != Self.manifestPath {
            try moveIntoPlace(file.path, from: staging, directories: &targets)
        }
        for (path, _) in plan.removed + (force ? plan.editedStale : []) {
            // Generated files only, never a directory someone put in a file's place.
            unlink(root + "/" + path)
        }
        try moveIntoPlace(Self.manifestPath, from: staging, directories: &targets)
        // The renames are durable once their directories are flushed.
        for directory in targets.sorted() {
            try? FileAccess.syncDirectory(directory)
        }
    }

    private func moveIntoPlace(
        _ path: String, from staging: String, directories: inout Set<String>
    ) throws(ProvisionError) {
        let target = root + "/" + path
        let directory = FileAccess.parentDirectory(of: target)
        if directories.insert(directory).inserted {
            do throws(FileSystemError) {
                try FileAccess.makeDirectories(directory)
            } catch {
                throw .cannotWrite(path: target, reason: error.reason)
            }
        }
        guard rename(staging + "/" + path, target) == 0 else {
            throw .cannotWrite(path: target, reason: String(cString: strerror(errno)))
        }
    }

    /// A file's text, or nil when there is none to read.
    static func read(_ path: String) -> String? {
        guard let bytes = try? FileAccess.read(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
