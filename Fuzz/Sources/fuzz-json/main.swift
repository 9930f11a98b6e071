import FuzzSupport
import VitalsDocuments

/// JSON from engines' state files and the Docker Engine API: any bytes read or fail with a
/// positioned error, never a trap; and what reads, written again, reads again.
FuzzDriver.run { bytes in
    guard let node = try? JSONReader().read(Array(bytes)) else { return }
    do {
        _ = try JSONReader().read(node.compactText)
    } catch {
        fatalError("\(node) was read, but its written form does not read back: \(error)")
    }
}
