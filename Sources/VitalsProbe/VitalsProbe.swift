// VitalsProbe
//
// Probes as the kubelet runs them: HTTP, TCP, exec and Redis checks on SwiftNIO, name resolution
// off the event loops, and the result tracking (thresholds, startup gating). It knows one probe at
// a time; it must not know stacks' dependencies, health documents or metrics.
