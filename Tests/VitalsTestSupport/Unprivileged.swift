import Foundation

/// Runs a command as nobody (65534) with no capabilities, through util-linux's setpriv, as a
/// container or a systemd unit with `User=` runs it: what needs root or a capability fails there.
public enum Unprivileged {
    public static let setpriv = "/usr/bin/setpriv"

    /// `setpriv`'s arguments to run `executable arguments` as nobody, without capabilities.
    public static func arguments(_ executable: String, _ arguments: [String]) throws -> [String] {
        guard FileManager.default.isExecutableFile(atPath: setpriv) else {
            throw MissingPrerequisite("setpriv (util-linux) is not installed; scripts/test installs it")
        }
        return [
            "--reuid", "65534", "--regid", "65534", "--clear-groups", "--inh-caps", "-all", "--bounding-set", "-all",
            "--", executable,
        ] + arguments
    }
}
