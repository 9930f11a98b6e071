// VitalsStack
//
// The model of a stack: services, endpoints, probes with the kinds' defaults, the dependency
// graph, alerting. Value types only; reading the file is VitalsStackFile's job, so that the probe
// engine and the orchestrator use the model without YAML. It must not know how probes run,
// Prometheus, HTTP or the exporter.
