// VitalsOrchestrator
//
// Judges a stack from its probes: readiness through dependencies (`StackStatus.evaluate`, pure),
// the continuous monitor behind `serve`, the one-shot check, health documents and metrics. It must
// not know the command line, the HTTP server's wiring or files on disk.
