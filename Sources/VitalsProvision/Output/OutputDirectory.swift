import Foundation

/// The directory `vitals provision` writes into: what would change, and writing it safely.
///
/// Files are staged in a hidden directory inside the output directory and renamed into place,
/// so every file is replaced atomically and a failure while staging leaves nothing behind.
/// A file that exists without the generated-by marker was written by a person and is only
/// overwritten with `force`.
public struct OutputDirectory: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// What writing `files` would do.
    public struct Plan: Sendable {
        public var created: [GeneratedFile] = []
        public var updated: [(file: GeneratedFile, old: String)] = []
        public var unchanged: [String] = []
        /// Generated files of an earlier run that this run no longer writes.
        public var removed: [(path: String, old: String)] = []
        /// Files in the way that lack the marker.
        public var handWritten: [String] = []

        public var hasChanges: Bool { !created.isEmpty || !updated.isEmpty || !removed.isEmpty }
    }

    /// The directories the provisioner owns inside the output directory.
    static let ownedDirectories = ["prometheus", "alertmanager", "grafana"]

    public func plan(_ files: [GeneratedFile]) -> Plan {
        var plan = Plan()
        let generated = Set(files.map(\.path))
        for file in files {
            let path = root + "/" + file.path
            guard let old = Self.read(path) else {
                plan.created.append(file)
                continue
            }
            if old == file.contents {
                plan.unchanged.append(file.path)
            } else {
                if !old.contains(Provisioner.marker) { plan.handWritten.append(file.path) }
                plan.updated.append((file, old))
            }
        }
        for relative in existingFiles() where !generated.contains(relative) {
            if let old = Self.read(root + "/" + relative), old.contains(Provisioner.marker) {
                plan.removed.append((relative, old))
            }
        }
        return plan
    }

    /// A unified diff of everything the plan would change.
    public func diff(_ plan: Plan) -> String {
        var output = ""
        for file in plan.created {
            output += UnifiedDiff.diff(old: "", new: file.contents, oldName: "/dev/null", newName: "b/\(file.path)")
        }
        for (file, old) in plan.updated {
            output += UnifiedDiff.diff(old: old, new: file.contents, oldName: "a/\(file.path)", newName: "b/\(file.path)")
        }
        for (path, old) in plan.removed {
            output += UnifiedDiff.diff(old: old, new: "", oldName: "a/\(path)", newName: "/dev/null")
        }
        return output
    }

    /// Writes the plan: stages, then renames into place, then removes stale generated files.
    public func apply(_ plan: Plan, force: Bool) throws(ProvisionError) {
        if !plan.handWritten.isEmpty, !force { throw .handWrittenFiles(plan.handWritten) }
        let writes = plan.created + plan.updated.map(\.file)
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: root, reason: Self.reason(error))
        }
        let staging = root + "/.vitals-provision-\(getpid())"
        defer { try? manager.removeItem(atPath: staging) }
        // Stage everything first: if anything fails here, nothing in the output has changed.
        for file in writes {
            let path = staging + "/" + file.path
            do {
                try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw .cannotWrite(path: root, reason: Self.reason(error))
            }
        }
        for file in writes {
            let target = root + "/" + file.path
            do {
                try manager.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            } catch {
                throw .cannotWrite(path: target, reason: Self.reason(error))
            }
            guard rename(staging + "/" + file.path, target) == 0 else {
                throw .cannotWrite(path: target, reason: String(cString: strerror(errno)))
            }
        }
        for (path, _) in plan.removed {
            try? manager.removeItem(atPath: root + "/" + path)
        }
    }

    /// Every regular file under the owned directories, relative to the root.
    func existingFiles() -> [String] {
        var result: [String] = []
        for directory in Self.ownedDirectories {
            let base = root + "/" + directory
            guard let walker = FileManager.default.enumerator(atPath: base) else { continue }
            while let relative = walker.nextObject() as? String {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: base + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                    result.append(directory + "/" + relative)
                }
            }
        }
        return result.sorted()
    }

    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedDescription
    }
}
