"""Takes the rule groups out of generated PrometheusRules, as prometheus-operator hands them to
Prometheus, and compares them with the file target's rule files.

usage: extract_rules.py KUBERNETES_DIRECTORY FILE_TARGET_RULES_DIRECTORY OUTPUT_DIRECTORY
For each rules/NAME.yaml it writes OUTPUT/NAME.yml ({groups: spec.groups}) and prints
"same NAME" or "differs NAME"; a rule file of the file target with no PrometheusRule prints
"missing NAME". Exits 1 unless every one is the same.
"""
import glob
import os
import sys

import yaml


def main():
    kubernetes, file_rules, output = sys.argv[1:4]
    os.makedirs(output, exist_ok=True)
    extracted = set()
    failed = False
    for path in sorted(glob.glob(os.path.join(kubernetes, "rules", "*.yaml"))):
        name = os.path.basename(path)[: -len(".yaml")]
        with open(path) as handle:
            resource = yaml.safe_load(handle)
        assert resource["kind"] == "PrometheusRule", path
        groups = {"groups": resource["spec"]["groups"]}
        with open(os.path.join(output, name + ".yml"), "w") as handle:
            yaml.safe_dump(groups, handle, sort_keys=True)
        extracted.add(name)
        expected_path = os.path.join(file_rules, name + ".yml")
        if not os.path.exists(expected_path):
            print(f"extra {name}")
            failed = True
            continue
        with open(expected_path) as handle:
            expected = yaml.safe_load(handle)
        same = expected == groups
        failed |= not same
        print(("same " if same else "differs ") + name)
    for path in sorted(glob.glob(os.path.join(file_rules, "*.yml"))):
        name = os.path.basename(path)[: -len(".yml")]
        if name not in extracted:
            print(f"missing {name}")
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
