"""Validates generated Kubernetes resources offline, as `kubectl apply --dry-run=server` would on a
cluster with prometheus-operator installed: core kinds with kubernetes-validate (the Kubernetes
version pinned by the caller, strict: unknown fields are errors), and prometheus-operator kinds
against the operator's CRD schemas (spec.versions[].schema.openAPIV3Schema of the served version).

usage: validate.py KUBERNETES_VERSION CRD_DIRECTORY FILE...
Prints one line per resource ("ok KIND NAME FILE" or "error FILE: ...") and exits 1 on any error.
"""
import glob
import os
import sys

import jsonschema
import kubernetes_validate
import yaml


class Loader(yaml.SafeLoader):
    pass


# The CRDs hold `=` as a plain scalar (an enum value), which YAML 1.1 reads as its value key.
Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def crd_schemas(directory):
    schemas = {}
    for path in glob.glob(os.path.join(directory, "*.yaml")):
        with open(path) as handle:
            crd = yaml.load(handle, Loader=Loader)
        group = crd["spec"]["group"]
        kind = crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            if version.get("served"):
                schemas[(f"{group}/{version['name']}", kind)] = version["schema"]["openAPIV3Schema"]
    return schemas


def main():
    version, crd_directory, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    schemas = crd_schemas(crd_directory)
    failed = False
    for path in files:
        with open(path) as handle:
            documents = [document for document in yaml.load_all(handle, Loader=Loader) if document]
        for document in documents:
            api, kind = document.get("apiVersion", ""), document.get("kind", "")
            name = document.get("metadata", {}).get("name", "?")
            try:
                if api.startswith("monitoring.coreos.com/"):
                    schema = schemas.get((api, kind))
                    if schema is None:
                        raise ValueError(f"no served CRD for {api} {kind}")
                    # Not jsonschema.validate: that checks the schema against the metaschema first,
                    # and the CRDs' patterns use Go's inline flags, `(?i)` mid-pattern, which
                    # Python's re refuses; the documents are what is being validated.
                    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(document), key=str)
                    if errors:
                        raise errors[0]
                elif api.startswith("kustomize.config.k8s.io/"):
                    continue
                else:
                    kubernetes_validate.validate(document, version, strict=True)
                print(f"ok {kind} {name} {path}")
            except Exception as error:  # every kind of failure is reported, with the file
                failed = True
                message = getattr(error, "message", str(error))[:500]
                where = "/".join(str(part) for part in getattr(error, "path", []) or [])
                print(f"error {path}: {kind} {name}: {message}" + (f" (at {where})" if where else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
