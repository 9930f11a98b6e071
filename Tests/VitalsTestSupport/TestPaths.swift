import Foundation

/// Where things are when tests run: the package, ../shared, and the built products.
public enum TestPaths {
    /// The package root (the directory holding Package.swift).
    public static let packageRoot: String = {
        let components = #filePath.split(separator: "/").dropLast(3)
        return "/" + components.joined(separator: "/")
    }()

    /// ../shared beside the checkout, as CI lays it out.
    public static let shared = URL(fileURLWithPath: packageRoot + "/../shared").standardized.path

    public static let nodeExporterFixtures = shared + "/fixtures/node_exporter"

    /// The directory of the running test bundle, which is also where SwiftPM puts executables.
    public static let productsDirectory: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var url = URL(fileURLWithPath: executable)
        while url.path != "/",
            !FileManager.default.fileExists(atPath: url.appendingPathComponent("vitals-exporter").path)
        {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    /// A built executable of this package.
    public static func product(_ name: String) -> String { productsDirectory + "/" + name }

    /// The absolute path of a tool on PATH, or nil.
    public static func tool(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory(_ prefix: String = "vitals-test") throws -> String {
        let path = NSTemporaryDirectory() + "/\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A test precondition that is not met (a missing tool): the test fails with this message.
public struct MissingPrerequisite: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
