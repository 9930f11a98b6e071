#!/usr/bin/python3
"""A stand-in for systemd's D-Bus API (org.freedesktop.systemd1) on a private bus.

The systemd collector's tests need systemd, and the test machines have no systemd (they are
containers). This serves the calls node_exporter's and vitals-exporter's collectors make —
Manager.ListUnits and Properties.Get on the manager and on unit objects — for a fixed set of
units covering every case: each active state, each unit type the collector reads, a unit that
is not loaded, units the default exclude pattern drops, and properties that are missing or
hold systemd's "infinity".

Usage: fake_systemd.py BUS_ADDRESS  (prints "ready" once it owns org.freedesktop.systemd1)
"""
import asyncio
import sys

from dbus_next import Message, MessageType, Variant
from dbus_next.aio import MessageBus

INFINITY = 2**64 - 1
SYSTEMD = "org.freedesktop.systemd1"

# name, load state, active state, sub state, {interface: {property: (signature, value)}}
UNITS = [
    ("ssh.service", "loaded", "active", "running", {
        "Service": {"Type": ("s", "notify"), "NRestarts": ("u", 2), "TasksCurrent": ("t", 3), "TasksMax": ("t", 4915)},
        "Unit": {"ActiveEnterTimestamp": ("t", 1700000000123456)}}),
    ("cron.service", "loaded", "active", "running", {
        "Service": {"Type": ("s", "simple"), "NRestarts": ("u", 0), "TasksCurrent": ("t", 1), "TasksMax": ("t", INFINITY)},
        "Unit": {"ActiveEnterTimestamp": ("t", 1700000100000000)}}),
    ("backup.service", "loaded", "failed", "failed", {
        "Service": {"Type": ("s", "oneshot"), "NRestarts": ("u", 5), "TasksCurrent": ("t", INFINITY), "TasksMax": ("t", 100)},
        "Unit": {"ActiveEnterTimestamp": ("t", 1690000000000000)}}),
    ("nginx.service", "loaded", "activating", "start", {
        "Service": {"Type": ("s", "forking"), "NRestarts": ("u", 1), "TasksCurrent": ("t", 0), "TasksMax": ("t", 512)},
        "Unit": {"ActiveEnterTimestamp": ("t", 0)}}),
    ("worker@1.service", "loaded", "deactivating", "stop-sigterm", {
        "Service": {"Type": ("s", "exec"), "NRestarts": ("u", 0), "TasksCurrent": ("t", 2), "TasksMax": ("t", 64)},
        "Unit": {"ActiveEnterTimestamp": ("t", 0)}}),
    # No Type property: the type label stays empty.
    ("legacy.service", "loaded", "inactive", "dead", {"Unit": {"ActiveEnterTimestamp": ("t", 0)}}),
    ("gone.service", "not-found", "inactive", "dead", {}),
    ("docker.socket", "loaded", "active", "listening", {
        "Socket": {"NAccepted": ("u", 42), "NConnections": ("u", 1), "NRefused": ("u", 3)},
        "Unit": {"ActiveEnterTimestamp": ("t", 1700000200000000)}}),
    # An old systemd without NRefused.
    ("old.socket", "loaded", "active", "listening", {
        "Socket": {"NAccepted": ("u", 7), "NConnections": ("u", 0)},
        "Unit": {"ActiveEnterTimestamp": ("t", 1700000250000000)}}),
    ("logrotate.timer", "loaded", "active", "waiting", {
        "Timer": {"LastTriggerUSec": ("t", 1700000300000000)},
        "Unit": {"ActiveEnterTimestamp": ("t", 1700000050000000)}}),
    ("home.mount", "loaded", "active", "mounted", {"Mount": {"Type": ("s", "ext4")}}),
    ("dev-sda.device", "loaded", "active", "plugged", {}),
    ("user.slice", "loaded", "active", "active", {}),
    ("multi-user.target", "loaded", "active", "active", {"Unit": {"ActiveEnterTimestamp": ("t", 1700000010000000)}}),
]

MANAGER = {"Version": ("s", "252.22-1~deb12u1"), "SystemState": ("s", "degraded")}


def unit_path(name):
    """systemd's object path escaping: every byte but [A-Za-z0-9] as _xx."""
    escaped = "".join(
        chr(b) if (chr(b).isascii() and chr(b).isalnum() and not (i == 0 and chr(b).isdigit())) else "_%02x" % b
        for i, b in enumerate(name.encode()))
    return "/org/freedesktop/systemd1/unit/" + escaped


PROPERTIES = {unit_path(name): props for name, _, _, _, props in UNITS}


def answer(msg):
    if msg.message_type != MessageType.METHOD_CALL:
        return None
    if msg.interface == "org.freedesktop.systemd1.Manager" and msg.member == "ListUnits":
        rows = [[name, name, load, active, sub, "", unit_path(name), 0, "", "/"] for name, load, active, sub, _ in UNITS]
        return Message.new_method_return(msg, "a(ssssssouso)", [rows])
    if msg.interface == "org.freedesktop.DBus.Properties" and msg.member == "Get":
        interface, prop = msg.body
        if msg.path == "/org/freedesktop/systemd1" and interface == SYSTEMD + ".Manager":
            found = MANAGER.get(prop)
        else:
            short = interface[len(SYSTEMD) + 1:] if interface.startswith(SYSTEMD + ".") else interface
            found = PROPERTIES.get(msg.path, {}).get(short, {}).get(prop)
        if found is None:
            return Message.new_error(msg, "org.freedesktop.DBus.Error.UnknownProperty", f"Unknown property {interface}.{prop}")
        return Message.new_method_return(msg, "v", [Variant(*found)])
    return None


async def main(address):
    bus = await MessageBus(bus_address=address).connect()
    bus.add_message_handler(answer)
    await bus.request_name(SYSTEMD)
    print("ready", flush=True)
    await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
