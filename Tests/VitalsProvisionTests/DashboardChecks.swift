import Foundation
import VitalsTestSupport

/// Checks on generated dashboards that the JSON schema cannot make.
enum DashboardChecks {
    /// Validates dashboards against ../shared/schemas/grafana/dashboard.jsonschema.json with
    /// Python's jsonschema (installed by scripts/test).
    static func validateSchema(_ files: [String]) throws -> (status: Int32, output: String) {
        let schema = TestPaths.shared + "/schemas/grafana/dashboard.jsonschema.json"
        guard FileManager.default.fileExists(atPath: schema) else {
            throw MissingPrerequisite("\(schema) is missing; CI lays ../shared beside the checkout")
        }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            failed = 0
            for path in sys.argv[2:]:
                for error in jsonschema.Draft7Validator(schema).iter_errors(json.load(open(path))):
                    print(f"{path}: {list(error.path)}: {error.message[:300]}")
                    failed = 1
            sys.exit(failed)
            """
        return try runCommand("/usr/bin/python3", ["-c", script, schema] + files)
    }

    /// The uid of the generated datasource.
    static func datasourceUID(_ directory: String) throws -> String {
        let text = try String(
            contentsOfFile: directory + "/grafana/provisioning/datasources/prometheus.yml", encoding: .utf8)
        guard
            let line = text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: {
                $0.hasPrefix("uid: ")
            })
        else { throw MissingPrerequisite("no uid in the datasource file") }
        return line.dropFirst(5).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// Duplicate ids, overlapping or too wide panels, queries that bypass the datasource
    /// variable, rates without `$__rate_interval`, and a datasource variable that does not
    /// point at the generated datasource.
    static func problems(_ path: String, datasourceUID: String) throws -> [String] {
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        var problems: [String] = []
        let panels = json["panels"] as? [[String: Any]] ?? []
        var ids: Set<Int> = []
        var cells: [String: Int] = [:]
        for panel in panels {
            let id = panel["id"] as? Int ?? -1
            if !ids.insert(id).inserted { problems.append("duplicate panel id \(id)") }
            let grid = panel["gridPos"] as? [String: Int] ?? [:]
            let (x, y, w, h) = (grid["x"] ?? -1, grid["y"] ?? -1, grid["w"] ?? 0, grid["h"] ?? 0)
            if x < 0 || w <= 0 || x + w > 24 { problems.append("panel \(id) is outside the 24 columns: x \(x) w \(w)") }
            for column in max(0, x)..<max(0, x + w) {
                for row in max(0, y)..<max(0, y + h) {
                    if let other = cells["\(column),\(row)"] {
                        problems.append("panels \(other) and \(id) overlap at \(column),\(row)")
                    }
                    cells["\(column),\(row)"] = id
                }
            }
            guard panel["type"] as? String != "row" else { continue }
            let datasource = panel["datasource"] as? [String: String]
            if datasource?["uid"] != "${datasource}" {
                problems.append("panel \(id) does not use the datasource variable")
            }
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                if (target["datasource"] as? [String: String])?["uid"] != "${datasource}" {
                    problems.append("a query of panel \(id) does not use the datasource variable")
                }
                let expr = target["expr"] as? String ?? ""
                problems += rateProblems(expr).map { "panel \(id): \($0)" }
            }
        }
        let variables = (json["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        let datasourceVariable = variables.first { $0["name"] as? String == "datasource" }
        if datasourceVariable?["type"] as? String != "datasource" { problems.append("no datasource variable") }
        if ((datasourceVariable?["current"] as? [String: Any])?["value"] as? String) != datasourceUID {
            problems.append("the datasource variable does not default to the generated datasource \(datasourceUID)")
        }
        for variable in variables where variable["type"] as? String == "query" {
            if (variable["datasource"] as? [String: String])?["uid"] != "${datasource}" {
                problems.append("variable \(variable["name"] ?? "") does not use the datasource variable")
            }
        }
        if json["__inputs"] != nil { problems.append("__inputs present") }
        if json["schemaVersion"] as? Int != 39 { problems.append("schemaVersion is not pinned to 39") }
        return problems
    }

    /// Every `rate(` and `increase(` window except `increase(...[1h])` and `increase(...[1d])`
    /// (spend per hour and per day) is `$__rate_interval`.
    static func rateProblems(_ expr: String) -> [String] {
        var problems: [String] = []
        for function in ["rate(", "increase("] {
            var search = expr.startIndex..<expr.endIndex
            while let found = expr.range(of: function, range: search) {
                let rest = expr[found.upperBound...]
                guard let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") else { break }
                let window = rest[rest.index(after: open)..<close]
                if window != "$__rate_interval" && !(function == "increase(" && (window == "1h" || window == "1d")) {
                    problems.append("\(function)…[\(window)] should use [$__rate_interval]")
                }
                search = close..<expr.endIndex
            }
        }
        return problems
    }
}
