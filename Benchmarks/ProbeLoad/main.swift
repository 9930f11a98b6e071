// The load side of scripts/bench-serve: HTTP endpoints for `vitals serve` to probe, and a
// fixed-rate driver of blackbox_exporter's /probe for the comparison.
//
//   vitals-probe-load serve --endpoints 2000 --stack FILE
//       Listens on 2000 loopback ports and writes a stack file that probes each once a second.
//   vitals-probe-load drive --stack FILE --blackbox HOST:PORT --rate 2000 --seconds 30
//       Asks blackbox_exporter to probe the stack's endpoints at a fixed rate; prints the figures.
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import VitalsStack
import VitalsStackFile
import VitalsTestSupport

func option(_ name: String, _ arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("vitals-probe-load: \(message)\n".utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "serve":
    let count = Int(option("--endpoints", arguments) ?? "2000") ?? 2000
    guard let stackPath = option("--stack", arguments) else { fail("serve needs --stack FILE") }
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let server = try await HealthTargetServer(ports: count, group: group)
    // The endpoints split over --services services (one by default), in order.
    let serviceCount = max(1, min(count, Int(option("--services", arguments) ?? "1") ?? 1))
    let perService = (count + serviceCount - 1) / serviceCount
    var services = ""
    for (index, start) in stride(from: 0, to: count, by: perService).enumerated() {
        let ports = server.ports[start..<min(start + perService, count)]
        services += """
              targets-\(index + 1):
                kind: http
                endpoints: [\(ports.map { "\"127.0.0.1:\($0)\"" }.joined(separator: ", "))]
                probes:
                  readiness: {httpGet: {path: /health/ready}}

            """
    }
    let stack = """
        name: bench
        defaults: {periodSeconds: 1, timeoutSeconds: 1}
        services:
        \(services)
        """
    try stack.write(toFile: stackPath, atomically: true, encoding: .utf8)
    print("serving \(count) endpoints; stack file \(stackPath)")
    fflush(nil)
    while true { try await Task.sleep(for: .seconds(3600)) }

case "drive":
    guard let stackPath = option("--stack", arguments), let blackbox = option("--blackbox", arguments),
        case .success(let target) = Endpoint.parse(blackbox)
    else { fail("drive needs --stack FILE --blackbox HOST:PORT") }
    let rate = Int(option("--rate", arguments) ?? "2000") ?? 2000
    let seconds = Int(option("--seconds", arguments) ?? "30") ?? 30
    let stack = try StackLoader.load(path: stackPath)
    let endpoints = stack.services.flatMap(\.endpoints)
    let driver = try await BlackboxDriver(blackbox: target, connections: 128)
    let result = try await driver.drive(endpoints: endpoints, rate: rate, seconds: seconds)
    print(
        "requested=\(result.requested) completed=\(result.completed) succeeded=\(result.succeeded) skipped=\(result.skipped) seconds=\(seconds)"
    )

default:
    fail(
        "usage: vitals-probe-load serve --endpoints N [--services S] --stack FILE | drive --stack FILE --blackbox HOST:PORT [--rate R] [--seconds S]"
    )
}
