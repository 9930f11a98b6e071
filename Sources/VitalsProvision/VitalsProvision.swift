// VitalsProvision
//
// The provisioner: Prometheus configuration, alert rules with their promtool tests, Alertmanager
// routing, Grafana files, dashboards and the runbook, as pure functions of a stack, and the output
// directory that writes them safely. It must not run anything or read the network.
