import ArgumentParser
import NIOCore
import VitalsKubernetes
import VitalsSystem

/// Where `vitals serve` finds the Kubernetes API, to discover the pods behind the Services a
/// stack names (`backend.chat.svc:8000`).
struct KubernetesOptions: ParsableArguments {
    @Option(
        name: .customLong("kubernetes.api-server"),
        help: ArgumentHelp(
            "The Kubernetes API server, as https://host:port (or http:// to a local kubectl proxy).",
            discussion:
                "Default, inside a pod: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT with the service account's token and CA.",
            valueName: "url"))
    var apiServer: String?

    @Option(
        name: .customLong("kubernetes.ca-file"),
        help: ArgumentHelp("The CA that signs the API server's certificate.", valueName: "path"))
    var caFile: String?

    @Option(
        name: .customLong("kubernetes.token-file"),
        help: ArgumentHelp("A bearer token file, read before every request.", valueName: "path"))
    var tokenFile: String?

    /// The API's configuration: the flags', or the pod's own; nil when neither is there.
    func configuration() throws -> KubernetesAPIClient.Configuration? {
        if let apiServer {
            do {
                return try KubernetesAPIClient.Configuration(url: apiServer, caFile: caFile, tokenFile: tokenFile)
            } catch {
                throw ValidationError("--kubernetes.api-server: \(error)")
            }
        }
        guard var inCluster = KubernetesAPIClient.Configuration.inCluster(environment: ProcessEnvironment.variables())
        else { return nil }
        if let caFile { inCluster.caFile = caFile }
        if let tokenFile { inCluster.tokenFile = tokenFile }
        return inCluster
    }
}
