import VitalsPageStyle

/// The page's stylesheet and script, served by vitals serve at `/static/status.css` and
/// `/static/status.js` so that the page needs nothing from elsewhere, and the Content-Security-Policy
/// its responses carry.
public enum StatusAssets {
    public static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// Light by default, dark under `prefers-color-scheme: dark`; one column at phone width.
    public static let stylesheet: String =
        PageStyle.base + """
            .kind, figcaption, .sparkline-empty { color: var(--muted); font-size: .9rem; }
            .services { list-style: none; padding: 0; margin: 0; display: grid; gap: .75rem;
              grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); }
            .service { background: var(--surface); border: 1px solid var(--border); border-radius: .5rem; padding: .75rem; }
            .service[data-state="down"] { border-left: 6px solid var(--failure); }
            .service[data-state="degraded"], .service[data-state="blocked"] { border-left: 6px solid var(--warning); }
            .service-head { display: flex; justify-content: space-between; align-items: baseline; gap: .5rem; }
            .facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; margin: .5rem 0; }
            .facts div { display: contents; }
            .facts dt { color: var(--muted); }
            .facts dd { margin: 0; overflow-wrap: anywhere; }
            .sparkline { margin: .25rem 0; color: var(--text); display: flex; align-items: center; gap: .5rem; }
            details summary { cursor: pointer; }
            .replicas, .probes { padding-left: 1.25rem; }
            .address { font-family: ui-monospace, monospace; }
            .timeline { padding-left: 1.25rem; }
            time { font-family: ui-monospace, monospace; color: var(--muted); }
            @media (max-width: 30rem) { .services { grid-template-columns: 1fr; } }

            """

    /// Reloads the page when the stack's state changes (and once a minute, for uptime and
    /// sparklines); without script, a meta refresh does the same.
    public static let script = """
        "use strict";
        (function () {
          var last = null;
          function poll() {
            fetch("/api/v1/status", { headers: { Accept: "application/json" }, credentials: "same-origin" })
              .then(function (response) { return response.ok ? response.json() : null; })
              .then(function (status) {
                if (!status) { return; }
                var key = JSON.stringify([status.state, status.services.map(function (s) {
                  return [s.name, s.state, s.readyReplicas, s.lastError];
                })]);
                if (last !== null && key !== last) { window.location.reload(); }
                last = key;
              })
              .catch(function () {});
          }
          poll();
          window.setInterval(poll, 5000);
          window.setTimeout(function () { window.location.reload(); }, 60000);
        })();

        """
}
