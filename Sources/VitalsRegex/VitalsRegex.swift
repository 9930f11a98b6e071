// VitalsRegex
//
// Go RE2-syntax regular expressions over bytes, matched in linear time (a Pike VM), for
// node_exporter's filter flags. It must not know what it filters.
