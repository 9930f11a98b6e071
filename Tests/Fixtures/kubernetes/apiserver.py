"""A stand-in for the Kubernetes API server, for the discovery tests: the one fake the tests use,
since no cluster can run on the test machine. It serves what vitals serve reads, in the API's own
shapes and semantics:

  GET /api/v1/namespaces/NS/services/NAME
  GET /apis/discovery.k8s.io/v1/namespaces/NS/endpointslices?labelSelector=kubernetes.io/service-name=NAME
      a list (EndpointSliceList, with metadata.resourceVersion), or with watch=1 a chunked stream
      of watch events after resourceVersion; an expired version gets an ERROR event with a
      410 Status, as the API server answers after compaction.

over HTTPS, with a bearer token (401 without it). The test drives it through /control/*
(no token): seed the objects, apply watch events, break open watches, refuse with 403 as RBAC
does, answer slowly, expire old versions, and read the request log.

usage: apiserver.py PORT CERT KEY TOKEN FIXTURE_DIRECTORY
The fixture directory holds the Service and EndpointSlice documents (*.json) served at start.
"""
import glob
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Condition()
STATE = {
    "version": 100,
    "services": {},  # (ns, name) -> object
    "slices": {},  # (ns, name) -> object
    "events": [],  # (version, ns, service_name, event)
    "oldest": 0,  # versions below this have expired
    "forbid": False,
    "delay": 0.0,
    "generation": 0,  # bumped to break open watches
    "log": [],
}


def next_version():
    STATE["version"] += 1
    return str(STATE["version"])


def load(directory):
    """A Service document, or an EndpointSliceList (whose items, as the API lists them, carry no kind)."""
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        with open(path) as handle:
            document = json.load(handle)
        if document["kind"] == "EndpointSliceList":
            for item in document["items"]:
                store(item, "slices")
        else:
            store(document, "services")


def store(item, table="slices"):
    meta = item["metadata"]
    meta["resourceVersion"] = next_version()
    STATE[table][(meta["namespace"], meta["name"])] = item
    return item


def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        url = urllib.parse.urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        with LOCK:
            if url.path == "/control/apply":
                # body: {"type": ADDED|MODIFIED|DELETED, "object": EndpointSlice}
                item = body["object"]
                meta = item["metadata"]
                key = (meta["namespace"], meta["name"])
                if body["type"] == "DELETED":
                    STATE["slices"].pop(key, None)
                    meta["resourceVersion"] = next_version()
                else:
                    store(item)
                service = meta.get("labels", {}).get("kubernetes.io/service-name", "")
                STATE["events"].append((int(meta["resourceVersion"]), meta["namespace"], service,
                                        {"type": body["type"], "object": item}))
            elif url.path == "/control/break":
                STATE["generation"] += 1
            elif url.path == "/control/expire":
                # Compaction after newer writes: every version seen so far is gone.
                STATE["oldest"] = int(next_version())
            elif url.path == "/control/inject":
                # body: {"namespace", "service", and "raw": a line sent as it is, or "oversized": a
                # line of that many bytes}: what a broken or hostile API server could send.
                raw = body["raw"].encode() if "raw" in body else b"x" * int(body["oversized"]) + b"\n"
                STATE["events"].append((int(next_version()), body["namespace"], body["service"], raw))
            elif url.path == "/control/mode":
                STATE["forbid"] = bool(body.get("forbid", False))
                STATE["delay"] = float(body.get("delay", 0))
            LOCK.notify_all()
        self.send_json(200, {"version": STATE["version"]})

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/control/log":
            with LOCK:
                return self.send_json(200, STATE["log"])
        with LOCK:
            STATE["log"].append(self.path)
            delay, forbid = STATE["delay"], STATE["forbid"]
        if delay:
            time.sleep(delay)
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
        if forbid:
            return self.send_json(403, status(
                403, "Forbidden",
                'endpointslices.discovery.k8s.io is forbidden: User "system:serviceaccount:monitoring:vitals-chat" '
                'cannot list resource "endpointslices" in API group "discovery.k8s.io" in the namespace "chat"'))
        parts = url.path.strip("/").split("/")
        query = urllib.parse.parse_qs(url.query)
        if len(parts) == 6 and parts[:3] == ["api", "v1", "namespaces"] and parts[4] == "services":
            with LOCK:
                service = STATE["services"].get((parts[3], parts[5]))
            if service is None:
                return self.send_json(404, status(404, "NotFound", f'services "{parts[5]}" not found'))
            return self.send_json(200, service)
        if len(parts) == 6 and parts[:4] == ["apis", "discovery.k8s.io", "v1", "namespaces"] \
                and parts[5] == "endpointslices":
            namespace = parts[4]
            selector = query.get("labelSelector", [""])[0]
            wanted = selector.split("=", 1)[1] if selector.startswith("kubernetes.io/service-name=") else None
            if query.get("watch", ["0"])[0] in ("1", "true"):
                return self.watch(namespace, wanted, query)
            with LOCK:
                items = [item for (ns, _), item in sorted(STATE["slices"].items())
                         if ns == namespace and (wanted is None or
                                                 item["metadata"].get("labels", {}).get("kubernetes.io/service-name") == wanted)]
                version = str(STATE["version"])
            return self.send_json(200, {"kind": "EndpointSliceList", "apiVersion": "discovery.k8s.io/v1",
                                        "metadata": {"resourceVersion": version}, "items": items})
        return self.send_json(404, status(404, "NotFound", "the server could not find the requested resource"))

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def watch(self, namespace, wanted, query):
        since = int(query.get("resourceVersion", ["0"])[0] or 0)
        timeout = float(query.get("timeoutSeconds", ["300"])[0])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        deadline = time.time() + timeout
        with LOCK:
            generation = STATE["generation"]
            expired = since < STATE["oldest"]
        if expired:
            error = {"type": "ERROR", "object": status(410, "Expired", f"too old resource version: {since}")}
            self.chunk(json.dumps(error).encode() + b"\n")
            self.chunk(b"")
            return
        sent = since
        while True:
            with LOCK:
                pending = [(v, e) for (v, ns, service, e) in STATE["events"]
                           if v > sent and ns == namespace and (wanted is None or service == wanted)]
                if not pending:
                    LOCK.wait(timeout=0.2)
                broken = STATE["generation"] != generation
            if broken:
                # A broken connection: no terminating chunk, the socket just closes.
                self.close_connection = True
                self.connection.shutdown(2)
                return
            for version, event in pending:
                self.chunk(event if isinstance(event, bytes) else json.dumps(event).encode() + b"\n")
                sent = version
            if time.time() >= deadline:
                self.chunk(b"")
                return


if __name__ == "__main__":
    port, cert, key, TOKEN, fixtures = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
    load(fixtures)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print("listening", flush=True)
    server.serve_forever()
