// VitalsStackFile
//
// Reading a stack file into the model of VitalsStack: the input limits checked before parsing,
// Yams' YAML tree walked by YAMLTreeReader (one extension per part of the file), and every error
// reported with its file, line and column, all at once. It must not know probes, Prometheus or
// anything about running the stack.
