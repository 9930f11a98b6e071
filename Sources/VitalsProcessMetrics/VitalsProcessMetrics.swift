// VitalsProcessMetrics
//
// A daemon's metrics about itself, as client_golang names them: `process_*` from /proc/self and
// the build-info gauge. Shared by vitals-exporter and `vitals serve`, so that neither daemon
// depends on the other. It must not know collectors, HTTP or stacks.
