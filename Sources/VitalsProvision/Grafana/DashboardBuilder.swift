import VitalsDocuments

/// Lays panels out on Grafana's 24-column grid, left to right, and writes the classic dashboard
/// JSON: every query through the `datasource` variable, stable uid and panel ids, and a pinned
/// schema version.
struct DashboardBuilder {
    /// The dashboard JSON schema version written; Grafana migrates older ones on load, so it is pinned.
    static let schemaVersion = 39
    static let datasource: JSONNode = ["type": "prometheus", "uid": "${datasource}"]

    let title: String
    let uid: String
    let description: String
    let tags: [String]
    private(set) var variables: [JSONNode]
    private var panels: [JSONNode] = []
    private var nextID = 1
    private var x = 0
    private var y = 0
    private var lineHeight = 0

    init(title: String, uid: String, description: String, tags: [String], datasourceUID: String) {
        self.title = title
        self.uid = uid
        self.description = description
        self.tags = tags
        variables = [
            [
                "type": "datasource", "name": "datasource", "label": "Data source", "query": "prometheus",
                "current": ["text": "Prometheus", "value": .string(datasourceUID)],
                "hide": 0, "refresh": 1, "regex": "", "options": [], "skipUrlSync": false,
            ]
        ]
    }

    /// A variable filled by a PromQL `label_values(...)` query; multi-select with "All".
    mutating func queryVariable(_ name: String, label: String, query: String) {
        variables.append([
            "type": "query", "name": .string(name), "label": .string(label),
            "datasource": Self.datasource, "query": .string(query), "definition": .string(query),
            "refresh": 2, "sort": 1, "multi": true, "includeAll": true, "allValue": ".+",
            "current": ["selected": true, "text": ["All"], "value": ["$__all"]],
            "options": [], "regex": "", "hide": 0, "skipUrlSync": false,
        ])
    }

    /// A variable whose values are known when the dashboard is generated (the stack's services).
    mutating func customVariable(_ name: String, label: String, values: [String]) {
        let options: [JSONNode] = values.map { ["selected": false, "text": .string($0), "value": .string($0)] }
        variables.append([
            "type": "custom", "name": .string(name), "label": .string(label),
            "query": .string(values.joined(separator: ",")),
            "multi": true, "includeAll": true, "allValue": ".+",
            "current": ["selected": true, "text": ["All"], "value": ["$__all"]],
            "options": .array(options), "hide": 0, "skipUrlSync": false,
        ])
    }

    /// Starts a titled row on a new line.
    mutating func row(_ title: String) {
        newLine()
        panels.append([
            "type": "row", "id": .integer(nextID), "title": .string(title), "collapsed": false, "panels": [],
            "gridPos": ["h": 1, "w": 24, "x": 0, "y": .integer(y)],
        ])
        nextID += 1
        y += 1
    }

    mutating func add(_ panel: DashboardPanel) {
        precondition(panel.width > 0 && panel.width <= 24, "panel wider than the grid")
        if x + panel.width > 24 { newLine() }
        let position: JSONNode = [
            "h": .integer(panel.height), "w": .integer(panel.width), "x": .integer(x), "y": .integer(y),
        ]
        panels.append(Self.json(panel, id: nextID, gridPos: position))
        nextID += 1
        x += panel.width
        lineHeight = max(lineHeight, panel.height)
    }

    private mutating func newLine() {
        y += lineHeight
        x = 0
        lineHeight = 0
    }

    func build(stackTag: String) -> JSONNode {
        [
            "uid": .string(uid),
            "title": .string(title),
            "description": .string(description),
            "tags": .array(tags.map { .string($0) }),
            "schemaVersion": .integer(Self.schemaVersion),
            "version": 1,
            "editable": false,
            "graphTooltip": 1,
            "timezone": "browser",
            "refresh": "30s",
            "time": ["from": "now-6h", "to": "now"],
            "fiscalYearStartMonth": 0,
            "liveNow": false,
            "weekStart": "",
            "templating": ["list": .array(variables)],
            "annotations": [
                "list": [
                    [
                        "builtIn": 1, "datasource": ["type": "grafana", "uid": "-- Grafana --"], "enable": true,
                        "hide": true, "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts",
                        "type": "dashboard",
                    ]
                ]
            ],
            "links": [
                [
                    "title": "Vitals dashboards", "type": "dashboards", "icon": "external link", "tooltip": "",
                    "tags": ["vitals", .string(stackTag)], "asDropdown": true, "targetBlank": false,
                    "includeVars": false,
                    "keepTime": true,
                ]
            ],
            "panels": .array(panels),
        ]
    }

    static func json(_ panel: DashboardPanel, id: Int, gridPos: JSONNode) -> JSONNode {
        let refIDs = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".map { String($0) }
        let targets: [JSONNode] = panel.queries.enumerated().map { index, query in
            var target: [String: JSONNode] = [
                "datasource": datasource, "expr": .string(query.expr),
                "legendFormat": .string(query.legend.isEmpty ? "__auto" : query.legend),
                "refId": .string(refIDs[index]), "editorMode": "code",
            ]
            switch panel.kind {
            case .timeseries: target["range"] = true
            case .stat: target["instant"] = true
            case .table:
                target["instant"] = true
                target["format"] = "table"
            }
            return .object(target)
        }
        let steps: [JSONNode] = panel.thresholds.map { from, color in
            ["color": .string(color), "value": from.map { .number($0) } ?? .null]
        }
        var defaults: [String: JSONNode] = [
            "unit": .string(panel.unit),
            "thresholds": ["mode": "absolute", "steps": .array(steps)],
            "color": panel.kind == .stat ? ["mode": "thresholds"] : ["mode": "palette-classic"],
            "mappings": [],
        ]
        if let min = panel.min { defaults["min"] = .number(min) }
        if let max = panel.max { defaults["max"] = .number(max) }
        let options: JSONNode
        switch panel.kind {
        case .timeseries:
            defaults["custom"] = [
                "drawStyle": "line", "lineWidth": 1, "fillOpacity": .integer(panel.stacked ? 30 : 10),
                "showPoints": "never",
                "spanNulls": false, "stacking": ["mode": .string(panel.stacked ? "normal" : "none"), "group": "A"],
            ]
            options = [
                "legend": ["displayMode": "list", "placement": "bottom", "showLegend": true, "calcs": []],
                "tooltip": ["mode": "multi", "sort": "desc"],
            ]
        case .stat:
            options = [
                "reduceOptions": ["calcs": ["lastNotNull"], "fields": "", "values": false],
                "colorMode": "value", "graphMode": "area", "justifyMode": "auto", "orientation": "auto",
                "textMode": "auto",
            ]
        case .table:
            options = [
                "showHeader": true, "cellHeight": "sm", "footer": ["show": false, "reducer": ["sum"], "fields": ""],
            ]
        }
        return [
            "id": .integer(id), "type": .string(panel.kind.rawValue), "title": .string(panel.title),
            "description": .string(panel.description), "datasource": datasource, "gridPos": gridPos,
            "targets": .array(targets), "fieldConfig": ["defaults": .object(defaults), "overrides": []],
            "options": options,
        ]
    }
}
