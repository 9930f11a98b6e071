// VitalsProcFS
//
// The only reader of /proc and /sys: accessors that read one kernel file each and pure `parse`
// functions that turn bytes into typed snapshots, counting malformed lines. It must not know
// Prometheus, metric names or collectors.
