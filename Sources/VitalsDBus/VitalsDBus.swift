// VitalsDBus
//
// A small blocking D-Bus client without Foundation, for the systemd collector. It must not know
// systemd's meaning beyond the calls it makes.
