import FuzzSupport
import VitalsCompose
import VitalsStackFile

/// Compose files: any bytes import or fail with a positioned error, never a crash; and whatever
/// the import writes must load as a stack file (the import checks that too, and calls it a bug).
/// The same bytes also go through `.env` parsing and interpolation.
FuzzDriver.run { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    let dotEnv = DotEnv.parse(text)
    _ = try? ComposeInterpolation(environment: dotEnv).apply(text)
    guard
        let project = try? ComposeLoader.load(
            documents: [("fuzz.yaml", text)], dotEnv: ["PORT": "8000"], environment: [:], directory: "/fuzz")
    else { return }
    for network in ComposeImport.Network.allCases {
        let stack = ComposeImport(network: network, command: "vitals import compose fuzz.yaml").stack(from: project)
        // With no service left there is no stack file to write; the command says so.
        guard !stack.services.isEmpty else { continue }
        do {
            _ = try StackLoader.parse(stack.text, file: "imported.yaml")
        } catch {
            fatalError("the import wrote a stack file that does not load: \(error)\n\(stack.text)")
        }
    }
}
