// VitalsCompose
//
// Reading docker-compose files (several, merged as compose merges them, with the `.env` beside
// them and compose's `${VAR:-default}` interpolation) and turning them into a stack file that
// says, in a comment, where each of its lines came from. It must not know probes' execution,
// Prometheus or the exporter.
