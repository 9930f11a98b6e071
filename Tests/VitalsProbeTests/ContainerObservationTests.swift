import Foundation
import Testing
import VitalsDocuments
import VitalsStack
import VitalsTestSupport

@testable import VitalsProbe

/// The container probe's verdicts on answers recorded from Docker 20.10's Engine API
/// (Tests/Fixtures/engine, `GET /containers/{id}/json`), one per state compose distinguishes.
@Suite struct ContainerObservationTests {
    static func recorded(_ name: String) throws -> JSONNode {
        let path = TestPaths.packageRoot + "/Tests/Fixtures/engine/\(name).json"
        return try JSONReader().read(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    static func observed(_ name: String) throws -> ContainerObservation {
        try ContainerObservation(inspect: recorded("inspect-\(name)"))
    }

    @Test func aHealthyContainerIsReadyAndSaysSo() throws {
        let container = try Self.observed("ok")
        #expect(container.name == "rec-ok" && container.id.count == 12)
        #expect(container.state == "running" && container.health == "healthy")
        let result = container.result
        #expect(result.outcome == .success)
        #expect(result.container == container)
        #expect(container.summary == "running, healthy")
    }

    @Test func anUnhealthyContainerFailsWithItsLastHealthcheckOutput() throws {
        let container = try Self.observed("sick")
        #expect(container.health == "unhealthy")
        #expect(container.lastHealthOutput == "connection refused on :8080")
        let result = container.result
        #expect(result.outcome == .failure)
        #expect(
            result.message
                == "container rec-sick is unhealthy after \(container.failingStreak) failed checks: connection refused on :8080"
        )
        #expect(container.failingStreak >= 2)
    }

    @Test func aContainerWhoseHealthcheckHasNotPassedIsNotReadyYet() throws {
        let result = try Self.observed("start").result
        #expect(result.outcome == .failure)
        #expect(
            result.message?.hasPrefix("container rec-start is starting: its healthcheck has not passed yet") == true)
    }

    @Test func anOOMKilledContainerSaysTheKernelKilledIt() throws {
        let container = try Self.observed("oom")
        #expect(container.state == "exited" && container.exitCode == 137 && container.oomKilled)
        #expect(container.health == nil)
        #expect(
            container.result.message == "container rec-oom exited with code 137, killed by the kernel for memory (OOM)")
        #expect(container.summary == "exited (137), OOM-killed")
    }

    @Test func aRestartingContainerCountsItsRestarts() throws {
        let container = try Self.observed("loop")
        #expect(container.state == "restarting" && container.restartCount > 0)
        #expect(
            container.result.message
                == "container rec-loop is restarting (restarted \(container.restartCount) times, last exit code 3)")
    }

    @Test func composeReplicasAreFoundByTheirContainerNumber() throws {
        let list = try Self.recorded("compose-web-list")
        let first = try #require(try ContainerProbe.replica(1, in: list))
        let second = try #require(try ContainerProbe.replica(2, in: list))
        let names = try #require(list.arrayValue).map {
            ($0["Id"]?.stringValue, $0["Names"]?.arrayValue?.first?.stringValue)
        }
        #expect(names.contains { $0.0 == first && $0.1 == "/rec_web_1" })
        #expect(names.contains { $0.0 == second && $0.1 == "/rec_web_2" })
        #expect(try ContainerProbe.replica(3, in: list) == nil)
        #expect(throws: EngineAnswerError.self) { try ContainerProbe.replica(1, in: .object([:])) }
    }

    @Test func anAnswerWithoutStateIsAnError() {
        #expect(throws: EngineAnswerError.self) { try ContainerObservation(inspect: ["Id": "abc"]) }
    }

    @Test func replicasOfAComposeServiceGetTheirNumberAndTheStackAsProject() {
        let handler = ProbeHandler.container(
            ContainerSelector(.composeService(project: nil, service: "web", number: nil)))
        #expect(
            handler.forReplica(1, stackName: "chat")
                == .container(ContainerSelector(.composeService(project: "chat", service: "web", number: 2))))
        let named = ProbeHandler.container(ContainerSelector(.name("db")))
        #expect(named.forReplica(3, stackName: "chat") == named)
        #expect(EngineClient.labelFilter(["a=b c"]) == "filters=%7B%22label%22%3A%5B%22a%3Db%20c%22%5D%7D")
        #expect(
            Prober.engineSocket(environment: ["DOCKER_HOST": "unix:///run/podman/podman.sock"])
                == "/run/podman/podman.sock")
        #expect(Prober.engineSocket(environment: ["DOCKER_HOST": "tcp://10.0.0.1:2375"]) == "/var/run/docker.sock")
    }
}
