// VitalsExposition
//
// Metric families and the Prometheus text format 0.0.4: Go-exact float formatting, the writer and
// the parser. It must not know where metrics come from.
