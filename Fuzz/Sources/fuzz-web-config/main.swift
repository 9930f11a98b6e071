import FuzzSupport
import VitalsWebConfig

/// exporter-toolkit web configs: parse or fail with an error, never a trap.
FuzzDriver.run { bytes in
    _ = try? WebConfig.parse(String(decoding: bytes, as: UTF8.self), file: "/fuzz/web.yml")
}
