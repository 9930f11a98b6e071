// VitalsDuration
//
// Go's duration syntax and arithmetic, range-checked, for every flag and the stack file. It must
// not know where durations are used.
