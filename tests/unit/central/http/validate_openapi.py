#!/usr/bin/env python3
"""Validate recorded HTTP responses against the OpenAPI contract (docs/openapi.yaml).

    validate_openapi.py OPENAPI_YAML RESPONSES_JSONL

Each line of RESPONSES_JSONL is {"method": "GET", "route": "/api/v1/returns/{rma_id}",
"status": 200, "content_type": "...", "body": "<the response body as text>"}. The route and method
pick the operation, the status its response, which must be documented; a JSON body must validate
(JSON Schema 2020-12, python3-jsonschema) against the response's schema, with the document's
#/components refs resolved. Every documented operation must have been exercised at least once.

Exit status: 0 all valid, 1 some invalid (each printed with its reason), 2 bad input, 3 a Python
module is missing (the caller skips).
"""
import json
import pathlib
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:  # pragma: no cover
    print(f"validate_openapi: {error} (Debian: python3-jsonschema python3-yaml)", file=sys.stderr)
    sys.exit(3)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    spec_path = pathlib.Path(argv[1])
    doc = yaml.safe_load(spec_path.read_text())
    if not str(doc.get("openapi", "")).startswith("3."):
        print(f"{spec_path}: not an OpenAPI 3 document", file=sys.stderr)
        return 2
    resolver = jsonschema.RefResolver(base_uri=spec_path.resolve().as_uri(), referrer=doc)
    failures = 0
    seen = set()
    lines = pathlib.Path(argv[2]).read_text().splitlines()
    for number, line in enumerate(lines, 1):
        record = json.loads(line)
        where = f"response {number} ({record['method']} {record['route']} -> {record['status']})"
        operation = doc["paths"].get(record["route"], {}).get(record["method"].lower())
        if operation is None:
            print(f"{where}: the route and method are not in {spec_path.name}")
            failures += 1
            continue
        seen.add((record["route"], record["method"].lower()))
        response = operation["responses"].get(str(record["status"]))
        if response is None:
            print(f"{where}: status {record['status']} is not documented")
            failures += 1
            continue
        if "$ref" in response:
            response = resolver.resolve(response["$ref"])[1]
        content = response.get("content", {})
        media = record["content_type"].split(";")[0].strip()
        if media not in content:
            print(f"{where}: content type {media} is not documented (only {sorted(content)})")
            failures += 1
            continue
        if media != "application/json":
            continue
        schema = content[media]["schema"]
        try:
            body = json.loads(record["body"])
            jsonschema.Draft202012Validator(schema, resolver=resolver).validate(body)
        except (json.JSONDecodeError, jsonschema.ValidationError) as error:
            print(f"{where}: {error}")
            failures += 1
    for route, operations in doc["paths"].items():
        for method in operations:
            if (route, method) not in seen:
                print(f"{method.upper()} {route}: documented but never exercised")
                failures += 1
    print(f"validate_openapi: {len(lines)} response(s), {failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
