import NIOCore
import VitalsDocuments
import VitalsStack

/// The `container` probe: asks the engine which container is the replica (by compose's labels, or
/// by name), then what state it is in, and judges it as compose does (`ContainerObservation.result`).
/// Two GETs on the engine's socket per run; nothing runs inside the container.
struct ContainerProbe: Sendable {
    let engine: EngineClient

    func run(_ selector: ContainerSelector, deadline: NIODeadline) -> EventLoopFuture<ProbeResult> {
        let loop = engine.group.any()
        let found: EventLoopFuture<String?>
        switch selector.target {
        case .name(let name):
            found = loop.makeSucceededFuture(name)
        case .composeService(let project, let service, let number):
            var labels = ["com.docker.compose.service=\(service)"]
            if let project { labels.append("com.docker.compose.project=\(project)") }
            found = engine.get(
                "/containers/json?all=1&" + EngineClient.labelFilter(labels), deadline: deadline, on: loop
            )
            .flatMapThrowing { answer in
                guard answer.status == 200 else { throw Self.refusal(answer) }
                return try Self.replica(number ?? 1, in: JSONReader().read(answer.body))
            }
        }
        return found.flatMap { id -> EventLoopFuture<ProbeResult> in
            guard let id else {
                return loop.makeSucceededFuture(.failure(Self.missing(selector)))
            }
            return engine.get("/containers/\(EngineClient.percentEncoded(id))/json", deadline: deadline, on: loop)
                .flatMapThrowing { answer in
                    if answer.status == 404 { return .failure(Self.missing(selector)) }
                    guard answer.status == 200 else { throw Self.refusal(answer) }
                    return try ContainerObservation(inspect: JSONReader().read(answer.body)).result
                }
        }.flatMapErrorThrowing { error in
            switch error {
            case ProbeError.timedOut: .failure("timeout: the container engine did not answer in time")
            case let error as JSONReadError: .failure(EngineAnswerError(reason: error.description).description)
            default: .failure("\(error)")
            }
        }
    }

    /// The ID of compose's container numbered `number` in a `GET /containers/json` answer: the
    /// running one when a replica was recreated and the old one lingers, one-off `run`
    /// containers never.
    static func replica(_ number: Int, in list: JSONNode) throws(EngineAnswerError) -> String? {
        guard let items = list.arrayValue else { throw EngineAnswerError(reason: "the container list is not a list") }
        let candidates = items.filter { item in
            let labels = item["Labels"]
            return labels?["com.docker.compose.container-number"]?.stringValue == String(number)
                && labels?["com.docker.compose.oneoff"]?.stringValue != "True"
        }
        let best = candidates.max { lhs, rhs in
            let leftRunning = lhs["State"]?.stringValue == "running"
            let rightRunning = rhs["State"]?.stringValue == "running"
            if leftRunning != rightRunning { return rightRunning }
            return (lhs["Created"]?.integerValue ?? 0) < (rhs["Created"]?.integerValue ?? 0)
        }
        return best?["Id"]?.stringValue
    }

    static func missing(_ selector: ContainerSelector) -> String {
        switch selector.target {
        case .name(let name): "no container named \(name)"
        case .composeService(let project, let service, let number):
            "no container for replica \(number ?? 1) of compose service \(service)"
                + (project.map { " in project \($0)" } ?? "") + " (is it up? docker compose ps lists it)"
        }
    }

    static func refusal(_ answer: EngineClient.Answer) -> EngineAnswerError {
        let message = (try? JSONReader().read(answer.body))?["message"]?.stringValue
        return EngineAnswerError(reason: "HTTP \(answer.status)" + (message.map { ": \($0)" } ?? ""))
    }
}
