// VitalsSystem
//
// Process-level Linux calls the daemons share: descriptor limits, clean signal state for children,
// thread conditions. It must not know Prometheus, HTTP or stacks.
