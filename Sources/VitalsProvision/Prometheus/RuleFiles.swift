import VitalsDocuments

/// `prometheus/rules/<group>.yml` and the `promtool test rules` file that proves every alert in it.
enum RuleFiles {
    static func rules(_ group: RuleGroup, links: AlertLinks, cadence: Cadence) -> YAMLNode {
        [
            "groups": [
                [
                    "name": .string(group.name),
                    "rules": .list(
                        group.rules.map { rule in
                            [
                                "alert": .string(rule.name),
                                "expr": .string(cadence.expression(rule.expr)),
                                "for": .string(cadence.duration(rule.duration)),
                                "labels": .mapping(rule.labels.mapValues { .string($0) }),
                                "annotations": .mapping(links.annotations(rule).mapValues { .string($0) }),
                            ]
                        }),
                ]
            ]
        ]
    }

    /// Test groups that make each alert fire (one per cause) and one that keeps it silent.
    static func tests(_ group: RuleGroup, ruleFile: String, evaluationInterval: String, links: AlertLinks) -> YAMLNode {
        var cases: [YAMLNode] = []
        for rule in group.rules {
            guard let test = rule.test else { continue }
            let expected = test.expected.map { labels -> YAMLNode in
                // A warning and a critical level share the name; each alert has its own level's text.
                let level =
                    group.rules.first { $0.name == rule.name && $0.severity.rawValue == labels["severity"] } ?? rule
                let alertLabels = level.extraLabels.merging(labels) { $1 }
                let annotations = links.annotations(level).mapValues {
                    YAMLNode.string(PromQL.render($0, labels: alertLabels))
                }
                return [
                    "exp_labels": .mapping(alertLabels.mapValues { .string($0) }),
                    "exp_annotations": .mapping(annotations),
                ]
            }
            let inputs = [(test.firing, expected)] + test.alsoFiring.map { ($0, expected) } + [(test.silent, [])]
            for (series, alerts) in inputs {
                cases.append([
                    "interval": .string(test.interval),
                    "input_series": .list(series.map { ["series": .string($0.series), "values": .string($0.values)] }),
                    "alert_rule_test": [
                        [
                            "eval_time": .string(test.evalTime), "alertname": .string(rule.name),
                            "exp_alerts": .list(alerts),
                        ]
                    ],
                ])
            }
        }
        return [
            "rule_files": [.string(ruleFile)],
            "evaluation_interval": .string(evaluationInterval),
            "tests": .list(cases),
        ]
    }
}
