import ArgumentParser
import VitalsDaemon
import VitalsProbe
import VitalsSystem

/// What the commands that probe share: where the container engine listens.
struct ProbeOptions: ParsableArguments {
    @Option(
        name: .customLong("engine.socket"),
        help: ArgumentHelp(
            "The Docker Engine API's unix socket, for container probes (Podman's compatible socket works too).",
            discussion: "Default: the path in DOCKER_HOST when it is unix://PATH, else /var/run/docker.sock.",
            valueName: "path"))
    var engineSocket: String?

    func makeProber() throws -> Prober {
        try Prober(
            userAgent: VitalsVersion.userAgent,
            engineSocket: engineSocket ?? Prober.engineSocket(environment: ProcessEnvironment.variables()))
    }
}
