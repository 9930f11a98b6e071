// VitalsExporterApp
//
// vitals-exporter's command line (node_exporter's flags) and its HTTP endpoints. It wires
// VitalsExporter to VitalsHTTP; it must not hold collector logic.
