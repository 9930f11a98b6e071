import ArgumentParser
import VitalsCompose
import VitalsStackFile
import VitalsSystem

extension VitalsCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a stack file from another description of the stack.",
            subcommands: [ImportCompose.self])
    }
}

extension ComposeImport.Network: ExpressibleByArgument {}

struct ImportCompose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Write a stack file from docker-compose files.",
        discussion: """
            Reads the compose files (later ones override earlier ones, as `docker compose -f A -f B` \
            merges them) and the .env beside the first, with compose's ${VAR:-default} interpolation. \
            Each compose service becomes a service, with its replicas, its depends_on, its healthcheck as \
            probes and a kind guessed from its image and command (labels vitals.kind, vitals.metrics.path \
            and prometheus.io/* override the guesses); exporters (redis_exporter, postgres_exporter, \
            celery-exporter, Flower) become the metrics of the service they export, and node_exporter \
            the stack's nodes. Every guess is explained in a comment in the file, and what cannot be \
            carried over is listed at its end and on stderr. See docs/containers.md.

            Without --out the stack file goes to stdout. With --out it is written atomically; a file \
            that `vitals import` did not write is left alone unless --force is given.
            """)

    @Argument(help: "The compose files, in override order.")
    var files: [String]

    @Option(help: "Where to write the stack file (default: stdout).")
    var out: String?

    @Flag(help: "Write nothing; exit 1 when --out differs from what the compose files give now.")
    var check = false

    @Option(
        help: ArgumentHelp(
            "Where vitals runs: host (endpoints are the published ports) or compose (service:port inside the compose network).",
            valueName: "host|compose"))
    var network: ComposeImport.Network = .host

    @Option(
        help: "The compose project name (default: the name: key, COMPOSE_PROJECT_NAME, or the first file's directory).")
    var projectName: String?

    @Flag(help: "Replace an --out file that vitals import did not write.")
    var force = false

    static let header = "# Imported from compose by `vitals import compose`"

    func validate() throws {
        if check && out == nil { throw ValidationError("--check needs --out, the stack file to compare.") }
        if files.isEmpty { throw ValidationError("Name at least one compose file.") }
    }

    func run() throws {
        let project: ComposeProject
        do {
            project = try ComposeLoader.load(
                paths: files, environment: ProcessEnvironment.variables(), projectName: projectName)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        var command = "vitals import compose " + files.joined(separator: " ")
        if network != .host { command += " --network \(network.rawValue)" }
        if let projectName { command += " --project-name \(projectName)" }
        if let out { command += " --out \(out)" }
        let stack = ComposeImport(network: network, command: command).stack(from: project)
        guard !stack.services.isEmpty else {
            for note in stack.notes { printError("note: \(note)") }
            printError(
                "\(files[0]): no compose service can be watched (see the notes above), so there is no stack file to write"
            )
            throw ExitCode(2)
        }
        let text = stack.text
        // The import's own output must always load; if not, that is a bug worth a clear message.
        do {
            _ = try StackLoader.parse(text, file: out ?? "<import>")
        } catch {
            printError(
                "vitals import compose wrote a stack file that does not load (a bug; please report it):\n\(error)")
            throw ExitCode(2)
        }
        for note in stack.notes { printError("note: \(note)") }
        guard let out else {
            print(text, terminator: "")
            return
        }
        let existing = try? FileAccess.readString(out)
        if check {
            guard existing == text else {
                printError("\(out) no longer matches the compose files; regenerate it with: \(command)")
                throw ExitCode(1)
            }
            return
        }
        if let existing, !existing.hasPrefix(Self.header), !force {
            printError(
                "\(out) exists and was not written by vitals import compose; it is left alone (--force replaces it)")
            throw ExitCode(2)
        }
        do {
            try FileAccess.writeAtomically(Array(text.utf8), to: out)
        } catch {
            printError("cannot write \(out): \(error)")
            throw ExitCode(1)
        }
        printError("wrote \(out): \(stack.services.count) services")
    }
}
