// VitalsStack
//
// The stack file: its model, the loader that reports every problem with file, line and column, and
// the kinds' default probes. It knows YAML and the stack's meaning; it must not know how probes
// run, Prometheus, HTTP or the exporter.
