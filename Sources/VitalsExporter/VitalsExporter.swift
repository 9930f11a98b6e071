// VitalsExporter
//
// node_exporter's collectors, one per file, the catalog that names them and the concurrent scraper
// with its deadlines. Collectors turn VitalsProcFS snapshots into families; they must not read
// kernel files themselves, parse flags or know HTTP.
