import Logging
import VitalsLogging
import VitalsSystem

/// What every Vitals daemon does before it serves: logfmt logging and the descriptor limit.
public enum DaemonStart {
    /// Installs logfmt logging at `level` and raises the descriptor limit to the hard limit.
    /// Returns the daemon's logger.
    public static func prepare(label: String, logLevel: String) -> Logger {
        let level = LogfmtLogHandler.level(named: logLevel) ?? .info
        LoggingSystem.bootstrap { label in LogfmtLogHandler(label: label, level: level) }
        let logger = Logger(label: label)
        let limit = ResourceLimits.raiseDescriptorLimit()
        logger.debug("descriptor limit", metadata: ["nofile": "\(limit)"])
        return logger
    }
}
