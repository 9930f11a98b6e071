import VitalsStack

/// Alerts on the LLM usage the chatbot backends report, under the names the stack file gives.
enum LLMAlerts {
    static func rules(_ service: Service, _ llm: LLMMetrics, _ stack: Stack) -> [AlertRule] {
        let sel = ServiceAlerts.selector(service, stack)
        let base = ServiceAlerts.labels(service, stack)
        let cost = service.threshold("llmCostPerHourUSD")
        let hitRatio = service.threshold("llmCacheHitRatio")
        let target = ServiceAlerts.target(service, stack, instance: "backend-1:8000").merging(
            [llm.modelLabel: "gpt-4o", llm.providerLabel: "openai"]) { $1 }
        // Spend per minute: twice the hourly threshold over an hour, or half of it.
        let spend = { (hourly: Double) in
            AlertTest.Series(PromQL.series(llm.cost, target), "0+\(PromQL.number(hourly / 60))x90")
        }
        func cache(hits: Int) -> [AlertTest.Series] {
            [
                .init(PromQL.series(llm.requests, target), "0+1000x60"),
                .init(PromQL.series(llm.cacheHits, target), "0+\(hits)x60"),
            ]
        }
        let expected = ServiceAlerts.expected(base, .warning, extra: ["source": "metrics"])
        return [
            AlertRule(
                name: "LLMCostPerHourHigh",
                expr: "sum by (stack, service) (increase(\(llm.cost){\(sel)}[1h])) > \(PromQL.number(cost))",
                duration: "5m", severity: .warning,
                summary: "LLM spend of {{ $labels.service }} is high.",
                description:
                    "{{ $labels.service }} (stack {{ $labels.stack }}) has spent more than \(PromQL.human(cost)) USD on LLM calls in the last hour.",
                test: AlertTest(
                    firing: [spend(cost * 2)], silent: [spend(cost / 2)], evalTime: "80m", expected: expected),
                dashboard: "llm-usage"),
            AlertRule(
                name: "LLMCacheHitRatioLow",
                expr:
                    "sum by (stack, service) (rate(\(llm.cacheHits){\(sel)}[15m])) / sum by (stack, service) (rate(\(llm.requests){\(sel)}[15m])) < \(PromQL.number(hitRatio))",
                duration: "30m", severity: .warning,
                summary: "The LLM cache of {{ $labels.service }} is rarely hit.",
                description:
                    "Fewer than \(PromQL.human(hitRatio, percent: true)) of the LLM requests of {{ $labels.service }} (stack {{ $labels.stack }}) have been served from the cache for 30 minutes.",
                test: AlertTest(
                    firing: cache(hits: ServiceAlerts.below(hitRatio)),
                    silent: cache(hits: ServiceAlerts.above(hitRatio)),
                    evalTime: "55m", expected: expected),
                dashboard: "llm-usage"),
        ]
    }
}
