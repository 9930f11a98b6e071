/// The status page of `vitals serve` for people: the `/api/v1/status` document, the server-rendered
/// page with its stylesheet and script, and the palette whose contrast is checked against WCAG AA.
/// Rendering is pure: a status, its history and a time in, bytes out.
