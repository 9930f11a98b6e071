import Synchronization
import VitalsTestSupport

/// A stand-in for a FastAPI chatbot backend: health endpoints, and a /metrics page with
/// prometheus-fastapi-instrumentator's and the LLM metrics' names, whose counters grow with
/// every scrape.
enum InstrumentedService {
    static func start() async throws -> HealthTargetServer {
        let server = try await HealthTargetServer()
        let scrapes = Mutex(0)
        server.serve("/metrics") {
            let n = Double(
                scrapes.withLock { count in
                    count += 1
                    return count
                })
            return page(n)
        }
        return server
    }

    static func page(_ n: Double) -> String {
        var text = """
            # HELP http_requests_total Total number of requests by method, status and handler.
            # TYPE http_requests_total counter
            http_requests_total{handler="/chat",method="POST",status="2xx"} \(n * 95)
            http_requests_total{handler="/chat",method="POST",status="5xx"} \(n * 5)
            http_requests_total{handler="/health",method="GET",status="2xx"} \(n * 10)
            # HELP http_request_duration_seconds Latency with only few buckets by handler.
            # TYPE http_request_duration_seconds histogram

            """
        for handler in ["/chat", "/health"] {
            for (le, share) in [("0.1", 0.5), ("0.5", 0.8), ("1.0", 0.95), ("+Inf", 1.0)] {
                text +=
                    "http_request_duration_seconds_bucket{handler=\"\(handler)\",le=\"\(le)\",method=\"POST\"} \(n * 100 * share)\n"
            }
            text += "http_request_duration_seconds_sum{handler=\"\(handler)\",method=\"POST\"} \(n * 20)\n"
            text += "http_request_duration_seconds_count{handler=\"\(handler)\",method=\"POST\"} \(n * 100)\n"
        }
        text += """
            # TYPE llm_requests_total counter
            llm_requests_total{model="gpt-4o"} \(n * 10)
            # TYPE llm_tokens_used_total counter
            llm_tokens_used_total{model="gpt-4o",type="prompt"} \(n * 1000)
            llm_tokens_used_total{model="gpt-4o",type="completion"} \(n * 300)
            # TYPE llm_cost_usd_total counter
            llm_cost_usd_total{model="gpt-4o"} \(n * 0.02)
            # TYPE llm_cache_hits_total counter
            llm_cache_hits_total{model="gpt-4o"} \(n * 4)
            # TYPE llm_request_duration_seconds histogram
            llm_request_duration_seconds_bucket{model="gpt-4o",le="1"} \(n * 5)
            llm_request_duration_seconds_bucket{model="gpt-4o",le="5"} \(n * 9)
            llm_request_duration_seconds_bucket{model="gpt-4o",le="+Inf"} \(n * 10)
            llm_request_duration_seconds_sum{model="gpt-4o"} \(n * 25)
            llm_request_duration_seconds_count{model="gpt-4o"} \(n * 10)

            """
        return text
    }
}
