// VitalsDaemon
//
// What every daemon shares at start: the web flags, logging set-up, the descriptor limit, exit
// codes and the version. It must not know collectors or stacks.
