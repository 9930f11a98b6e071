// VitalsHTTP
//
// A small HTTP/1.1 server on SwiftNIO shared by both daemons, with the bounds hostile clients need:
// connections, pipelining, read and write timeouts, body sizes. It must not know exporters, stacks
// or authentication rules (they plug in as a responder and a gate).
