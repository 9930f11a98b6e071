// VitalsCLI
//
// The `vitals` command line: validate, check, wait, serve and provision, and `serve`'s endpoints.
// It wires the other modules together; logic that could be tested without a command line belongs in
// them.
