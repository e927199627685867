#!/usr/bin/env python3
"""Validate MQTT messages against the AsyncAPI contract (docs/asyncapi.yaml) and its JSON Schemas.

    validate_messages.py ASYNCAPI_YAML MESSAGES_JSONL

Each line of MESSAGES_JSONL is {"topic": "...", "payload": "<the message body as text>"}. The topic
picks the channel (its address with each {parameter} matching one topic level); the payload must
be JSON that validates against one of the channel's messages' payload schemas (draft 2020-12,
python3-jsonschema). An empty payload is accepted only on the rma channel (a closed RMA).

Exit status: 0 all valid, 1 some invalid (each printed with its reason), 2 bad input, 3 a Python
module is missing (the caller skips).
"""
import json
import pathlib
import re
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:  # pragma: no cover
    print(f"validate_messages: {error} (Debian: python3-jsonschema python3-yaml)", file=sys.stderr)
    sys.exit(3)


def load_channels(asyncapi_path):
    doc = yaml.safe_load(asyncapi_path.read_text())
    if not str(doc.get("asyncapi", "")).startswith("3."):
        raise ValueError(f"{asyncapi_path}: not an AsyncAPI 3 document")
    base = asyncapi_path.parent
    channels = []
    for name, channel in doc["channels"].items():
        pattern = "^" + re.sub(r"\\\{[A-Za-z]+\\\}", "[^/]+", re.escape(channel["address"])) + "$"
        schemas = []
        for message_ref in channel["messages"].values():
            ref = message_ref["$ref"]
            if not ref.startswith("#/components/messages/"):
                raise ValueError(f"{asyncapi_path}: channel {name}: unsupported message $ref {ref}")
            message = doc["components"]["messages"][ref.rsplit("/", 1)[1]]
            schema_path = (base / message["payload"]["$ref"]).resolve()
            schemas.append((message.get("name", ref), schema_path))
        channels.append((name, re.compile(pattern), schemas))
    return channels


def validator_for(schema_path, cache):
    if schema_path not in cache:
        schema = json.loads(schema_path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        resolver = jsonschema.RefResolver(base_uri=schema_path.as_uri(), referrer=schema)
        cache[schema_path] = jsonschema.Draft202012Validator(schema, resolver=resolver)
    return cache[schema_path]


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        channels = load_channels(pathlib.Path(argv[1]).resolve())
    except (OSError, ValueError, KeyError, yaml.YAMLError) as error:
        print(f"validate_messages: {error}", file=sys.stderr)
        return 2
    cache = {}
    failures = 0
    count = 0
    for number, line in enumerate(pathlib.Path(argv[2]).read_text().splitlines(), 1):
        if not line.strip():
            continue
        count += 1
        where = f"{argv[2]}:{number}"
        try:
            record = json.loads(line)
            topic, payload = record["topic"], record["payload"]
        except (ValueError, KeyError, TypeError) as error:
            print(f"{where}: not a {{topic, payload}} record: {error}", file=sys.stderr)
            return 2
        matching = [c for c in channels if c[1].match(topic)]
        if not matching:
            print(f"{where}: topic {topic} matches no channel of the contract")
            failures += 1
            continue
        # The most specific channel first (fewest parameters): returns/v1/s/central/status is the
        # central status, not a station named "central".
        matching.sort(key=lambda c: c[1].pattern.count("[^/]+"))
        names = [c[0] for c in matching]
        if payload == "":
            if "rma" not in names:
                print(f"{where}: empty payload on {topic} (channel {names[0]})")
                failures += 1
            continue
        try:
            body = json.loads(payload)
        except ValueError as error:
            print(f"{where}: payload on {topic} is not JSON: {error}")
            failures += 1
            continue
        reasons = []
        schemas = [s for c in matching for s in c[2]]
        name = " or ".join(names)
        for message_name, schema_path in schemas:
            errors = sorted(validator_for(schema_path, cache).iter_errors(body), key=lambda e: list(e.path))
            if not errors:
                reasons = None
                break
            reasons += [f"{message_name}: {'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors[:3]]
        if reasons is not None:
            print(f"{where}: {topic} does not follow channel {name}:\n  " + "\n  ".join(reasons))
            failures += 1
    print(f"validate_messages: {count} message(s), {failures} invalid")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
