import Foundation
import Testing
import VitalsTestTraits

/// The published JSON Schema accepts every example stack and rejects what the loader rejects.
@Suite(.blockingWork) struct StackSchemaTests {
    static let root: String = { "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/") }()

    /// Validates YAML files against the schema with Python's jsonschema (installed by scripts/test).
    static func validate(_ files: [String]) throws -> (status: Int32, output: String) {
        let script = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft7Validator.check_schema(schema)
            failed = 0
            for path in sys.argv[2:]:
                errors = list(jsonschema.Draft7Validator(schema).iter_errors(yaml.safe_load(open(path))))
                for error in errors:
                    print(f"{path}: {list(error.path)}: {error.message}")
                failed += bool(errors)
            sys.exit(1 if failed else 0)
            """
        let process = Process()
        // Debian's python3, where scripts/test installs python3-yaml and python3-jsonschema.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, root + "/schemas/stack.schema.json"] + files
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func everyExampleStackValidates() throws {
        let stacks = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/stacks")
            .filter { $0.hasSuffix(".yaml") }.map { Self.root + "/stacks/" + $0 }
        #expect(stacks.count >= 2)
        let result = try Self.validate(stacks)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func rejectsUnknownKeysAndBadAddresses() throws {
        let directory = NSTemporaryDirectory() + "/schema-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let bad = [
            "name: s\nservices:\n  a: {kind: tcp, endpoints: [\"x:1\"], colour: red}\n",
            "name: s\nservices:\n  a: {kind: tcp, endpoints: [\"x:99999999\"]}\n",
            "name: s\nservices:\n  a: {kind: tcp, endpoints: [\"x:1\"], probes: {liveness: {tcpSocket: {}, successThreshold: 2}}}\n",
            "name: s\nservices:\n  a: {kind: mongo, endpoints: [\"x:1\"]}\n",
        ]
        for (index, text) in bad.enumerated() {
            let path = "\(directory)/bad\(index).yaml"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try Self.validate([path])
            #expect(result.status == 1, "schema accepted \(text): \(result.output)")
        }
    }
}
