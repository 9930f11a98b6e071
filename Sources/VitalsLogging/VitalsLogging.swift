// VitalsLogging
//
// logfmt logging for the daemons, with every control character escaped. It must not know what is
// logged.
