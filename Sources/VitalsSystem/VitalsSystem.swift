// VitalsSystem
//
// Process-level Linux calls every part shares: reading files without Foundation (FileAccess, with
// errors that name the path and the call), descriptor limits, malloc arena tuning, signal handling
// for daemons and clean signal state for children, thread conditions. It must not know
// Prometheus, HTTP, stacks or the layout of /proc.
