import VitalsDocuments
import VitalsSystem

/// The running containers as the engines record them on disk: Docker's
/// `containers/<id>/config.v2.json`, Podman's `overlay-containers/containers.json` with each
/// container's `userdata/pidfile`. No engine API call at scrape time: the exporter keeps working
/// when the engine is stuck, and needs no access to its socket.
struct EngineContainers {
    /// One running container: who it is, and a process in it (for its cgroup and network namespace).
    struct Container: Sendable, Hashable {
        var id: String
        var name: String
        var image: String
        var labels: [String: String]
        var pid: Int
    }

    /// Docker's data root (`/var/lib/docker`), already under `--path.rootfs`.
    var dockerRoot: String
    /// Podman's (containers/storage's) graph root (`/var/lib/containers/storage`), likewise.
    var podmanRoot: String

    /// Running containers of both engines, by ID; files that cannot be read or parsed are
    /// counted in `unreadable` and skipped.
    func running() -> (containers: [Container], unreadable: Int) {
        var containers: [Container] = []
        var unreadable = 0
        let dockerContainers = joinPath(dockerRoot, "containers")
        for entry in (try? FileAccess.listDirectory(dockerContainers)) ?? [] where entry.kind == .directory {
            guard let bytes = try? FileAccess.read(joinPath(dockerContainers, entry.name, "config.v2.json")) else {
                continue  // removed since the listing
            }
            guard let document = try? JSONReader().read(bytes) else {
                unreadable += 1
                continue
            }
            if let container = Self.docker(document) { containers.append(container) }
        }
        let podmanList = joinPath(podmanRoot, "overlay-containers", "containers.json")
        if let bytes = try? FileAccess.read(podmanList) {
            if let list = (try? JSONReader().read(bytes))?.arrayValue {
                for item in list {
                    guard let id = item["id"]?.stringValue,
                        let pidText = try? FileAccess.readString(
                            joinPath(podmanRoot, "overlay-containers", id, "userdata", "pidfile")),
                        let pid = Int(pidText.filter { !$0.isWhitespace }), pid > 0
                    else { continue }
                    containers.append(Self.podman(item, id: id, pid: pid))
                }
            } else {
                unreadable += 1
            }
        }
        return (containers.sorted { $0.id < $1.id }, unreadable)
    }

    /// A running container from Docker's `config.v2.json`, or nil when it is not running.
    static func docker(_ document: JSONNode) -> Container? {
        guard let id = document["ID"]?.stringValue, document["State"]?["Running"]?.boolValue == true,
            let pid = document["State"]?["Pid"]?.integerValue, pid > 0
        else { return nil }
        var labels: [String: String] = [:]
        for (key, value) in document["Config"]?["Labels"]?.objectValue ?? [:] {
            if let text = value.stringValue { labels[key] = text }
        }
        return Container(
            id: id, name: String((document["Name"]?.stringValue ?? id).drop { $0 == "/" }),
            image: document["Config"]?["Image"]?.stringValue ?? "", labels: labels, pid: pid)
    }

    /// A container from an entry of Podman's `containers.json`; its image name is inside the
    /// `metadata` member, itself a JSON document in a string.
    static func podman(_ item: JSONNode, id: String, pid: Int) -> Container {
        let metadata = item["metadata"]?.stringValue.flatMap { try? JSONReader().read($0) }
        let name = item["names"]?.arrayValue?.first?.stringValue ?? metadata?["name"]?.stringValue ?? id
        let image = metadata?["image-name"]?.stringValue ?? item["image"]?.stringValue ?? ""
        return Container(id: id, name: name, image: image, labels: [:], pid: pid)
    }
}
