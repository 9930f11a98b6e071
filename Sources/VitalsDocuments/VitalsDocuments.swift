// VitalsDocuments
//
// Deterministic YAML and JSON writers for generated files and health answers: sorted keys, stable
// quoting. They must not know what the documents mean.
