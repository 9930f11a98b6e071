import VitalsDuration
import VitalsStack
import VitalsSystem
import Yams

/// `dependsOn`: unknown services and cycles, reported where they are declared.
extension YAMLTreeReader {
    /// Unknown dependencies and cycles, reported at the `dependsOn` lines.
    mutating func checkGraph(_ stack: Stack) {
        let names = Set(stack.services.map(\.name))
        for service in stack.services {
            for dependency in service.dependsOn where !names.contains(dependency) {
                failAtService(
                    service.name,
                    "service \"\(service.name)\" depends on \"\(dependency)\", which is not a service of this stack")
            }
            if service.dependsOn.contains(service.name) {
                failAtService(service.name, "service \"\(service.name)\" depends on itself")
            }
        }
        guard errors.isEmpty else { return }
        if let cycle = stack.dependencyGraph.cycle() {
            failAtService(cycle[0], "dependency cycle: \(cycle.joined(separator: " -> "))")
        }
    }

    /// Reports at the service's `dependsOn` key (found again in the source by a fresh parse of marks).
    mutating func failAtService(_ name: String, _ message: String) {
        errors.append(
            StackFileError(
                file: file, line: dependsOnMarks[name]?.line ?? 0, column: dependsOnMarks[name]?.column ?? 0,
                message: message))
    }
}
