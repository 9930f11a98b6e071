/// A tunable alert threshold of a service, with its default. The provisioner's alert rules read
/// them; the stack file overrides them per service under `alerts:`.
///
/// They live in the stack model (not the provisioner) so that the loader can reject an unknown
/// or out-of-range threshold with its position, like any other mistake in the file.
public struct AlertThreshold: Sendable, Hashable {
    public let key: String
    public let kinds: Set<ServiceKind>
    public let defaultValue: Double
    public let range: ClosedRange<Double>
    /// What it means, for messages and docs.
    public let meaning: String

    public static let all: [AlertThreshold] = [
        AlertThreshold(
            key: "errorRatio", kinds: [.fastapi], defaultValue: 0.05, range: 0.0001...0.99,
            meaning: "ratio of 5xx responses above which FastAPIHighErrorRatio fires"),
        AlertThreshold(
            key: "latencyP95Seconds", kinds: [.fastapi], defaultValue: 1, range: 0.001...3600,
            meaning: "95th percentile request latency above which FastAPIHighLatency fires"),
        AlertThreshold(
            key: "llmCostPerHourUSD", kinds: [.fastapi], defaultValue: 10, range: 0.01...1_000_000,
            meaning: "LLM spend over the last hour above which LLMCostPerHourHigh fires"),
        AlertThreshold(
            key: "llmCacheHitRatio", kinds: [.fastapi], defaultValue: 0.2, range: 0.0001...1,
            meaning: "cache hit ratio below which LLMCacheHitRatioLow fires"),
        AlertThreshold(
            key: "memoryRatio", kinds: [.redis], defaultValue: 0.9, range: 0.0001...0.99,
            meaning: "used memory as a ratio of maxmemory above which RedisMemoryHigh fires"),
        AlertThreshold(
            key: "clientsRatio", kinds: [.redis], defaultValue: 0.8, range: 0.0001...0.99,
            meaning: "connected clients as a ratio of maxclients above which RedisTooManyConnections fires"),
        AlertThreshold(
            key: "queueLength", kinds: [.celery], defaultValue: 100, range: 1...100_000_000,
            meaning: "tasks waiting in a queue above which CeleryQueueBacklog fires"),
        AlertThreshold(
            key: "taskFailureRatio", kinds: [.celery], defaultValue: 0.1, range: 0.0001...0.99,
            meaning: "ratio of failed runs of one task above which CeleryTaskFailureRatio fires"),
        AlertThreshold(
            key: "connectionsRatio", kinds: [.postgres], defaultValue: 0.8, range: 0.0001...0.99,
            meaning: "connections as a ratio of max_connections above which PostgresTooManyConnections fires"),
        AlertThreshold(
            key: "longTransactionSeconds", kinds: [.postgres], defaultValue: 300, range: 1...86_400,
            meaning: "age of the oldest open transaction above which PostgresLongTransaction fires"),
        AlertThreshold(
            key: "rollbackRatio", kinds: [.postgres], defaultValue: 0.1, range: 0.0001...0.99,
            meaning: "ratio of rolled-back transactions above which PostgresHighRollbackRatio fires"),
    ]

    /// The thresholds a service of `kind` accepts.
    public static func thresholds(for kind: ServiceKind) -> [AlertThreshold] {
        all.filter { $0.kinds.contains(kind) }
    }
}
