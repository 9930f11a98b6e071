// VitalsWebConfig
//
// node_exporter's `--web.config.file`: TLS and basic auth as exporter-toolkit reads them, bcrypt
// off the event loops, reloads. It must not know what the server serves.
