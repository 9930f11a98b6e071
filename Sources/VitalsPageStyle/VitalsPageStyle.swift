/// The look Vitals' HTML pages share: the palette (checked for WCAG AA contrast), the base
/// stylesheet, and HTML escaping. No Foundation, so that vitals-exporter can use it.
