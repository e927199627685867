#!/usr/bin/env python3
"""The C++ decoders of sync/contract and the JSON Schemas of docs/schemas/ agree.

    schema_agreement.py SCHEMAS_DIR GOLDENS_DIR [VERDICTS_JSONL]

1. Every golden body (GOLDENS_DIR/<kind>/<case>.json) satisfies docs/schemas/<kind>.json.
2. Each line of VERDICTS_JSONL, written by retour_contract_mutations, is
   {"kind": "<kind>", "payload": "<body in hex>", "accepted": true|false, "reason": "..."}: the C++
   decoder's verdict on one mutated body. The script's own verdict must be the same for every one.

The script's verdict is the contract's: a body is accepted iff it is within the transport limits
of retour/contract/message.h (at most 262144 bytes, JSON nested at most 64 deep), is I-JSON
(RFC 7493: UTF-8 without a byte order mark, no unpaired surrogate, no NaN/Infinity, every number
within an IEEE 754 double), and satisfies the kind's JSON Schema (draft 2020-12). "pattern" is
matched as ECMA 262 does (JSON Schema §6.4): "$" is the end of the string, where Python's re
would also match before a final newline.

Exit status: 0 all agree, 1 a disagreement or an invalid golden, 2 bad input, 3 a Python module
is missing.
"""
import collections
import json
import math
import pathlib
import re
import sys

try:
    import jsonschema
except ImportError as error:  # pragma: no cover
    print(f"schema_agreement: {error} (Debian: python3-jsonschema)", file=sys.stderr)
    sys.exit(3)

MAX_PAYLOAD_BYTES = 256 * 1024
MAX_JSON_DEPTH = 64


def ecma_regex(pattern):
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def ecma_pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


# Registered for the draft 2020-12 meta-schema: a $ref into another schema file validates with the
# class its "$schema" names, which must be this one too.
Validator = jsonschema.validators.validates("draft2020-12")(
    jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": ecma_pattern}))


class NotIJson(ValueError):
    pass


def refuse_constant(name):
    raise NotIJson(f"{name} is not JSON")


def finite_float(text):
    value = float(text)
    if math.isinf(value):
        raise NotIJson(f"{text[:20]} is beyond a double")
    return value


def bounded_int(text):
    value = int(text)  # beyond 4300 digits Python refuses: also beyond a double
    try:
        float(value)
    except OverflowError:
        raise NotIJson(f"{text[:20]}… is beyond a double") from None
    return value


def walk(value, depth=1):
    """Depth of nesting; raises NotIJson on an unpaired surrogate in a key or string."""
    if isinstance(value, str):
        value.encode("utf-8")
        return 0
    if isinstance(value, dict):
        for key in value:
            key.encode("utf-8")
        return max([depth] + [walk(v, depth + 1) for v in value.values()])
    if isinstance(value, list):
        return max([depth] + [walk(v, depth + 1) for v in value])
    return 0


def verdict(payload, validator):
    """(accepted, reason) of the contract for one body (bytes)."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        return False, "too large"
    if payload.startswith(b"\xef\xbb\xbf"):
        return False, "byte order mark"
    try:
        text = payload.decode("utf-8")
        body = json.loads(text, parse_constant=refuse_constant, parse_float=finite_float, parse_int=bounded_int)
        depth = walk(body)
    except (UnicodeError, ValueError, RecursionError) as error:
        return False, f"not I-JSON: {error}"
    if depth > MAX_JSON_DEPTH:
        return False, f"nested {depth} deep"
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        return False, f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message[:200]}"
    return True, ""


def validators(schemas_dir):
    cache = {}

    def get(kind):
        if kind not in cache:
            path = (schemas_dir / f"{kind}.json").resolve()
            schema = json.loads(path.read_text())
            Validator.check_schema(schema)
            resolver = jsonschema.RefResolver(base_uri=path.as_uri(), referrer=schema)
            cache[kind] = Validator(schema, resolver=resolver)
        return cache[kind]

    return get


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    schemas_dir, goldens_dir = pathlib.Path(argv[1]), pathlib.Path(argv[2])
    validator = validators(schemas_dir)
    failures = 0
    goldens = sorted(goldens_dir.glob("*/*.json"))
    if not goldens:
        print(f"schema_agreement: no golden bodies in {goldens_dir}", file=sys.stderr)
        return 2
    for path in goldens:
        accepted, reason = verdict(path.read_bytes(), validator(path.parent.name))
        if not accepted:
            print(f"{path}: golden body breaks docs/schemas/{path.parent.name}.json: {reason}")
            failures += 1
    print(f"schema_agreement: {len(goldens)} golden bodies, {failures} invalid")
    if len(argv) == 4:
        counts = collections.Counter()
        disagreements = 0
        for number, line in enumerate(pathlib.Path(argv[3]).read_text().splitlines(), 1):
            record = json.loads(line)
            payload = bytes.fromhex(record["payload"])
            accepted, reason = verdict(payload, validator(record["kind"]))
            counts[(record["kind"], accepted)] += 1
            if accepted != record["accepted"]:
                disagreements += 1
                if disagreements <= 20:
                    shown = payload[:600].decode("utf-8", "backslashreplace")
                    print(f"line {number}: {record['kind']}: C++ {'accepts' if record['accepted'] else 'refuses'}"
                          f" ({record['reason']}), the schema {'accepts' if accepted else 'refuses'} ({reason}):"
                          f"\n  {shown}")
        total = sum(counts.values())
        accepted_total = sum(n for (kind, ok), n in counts.items() if ok)
        for kind in sorted({kind for kind, _ in counts}):
            print(f"  {kind}: {counts[(kind, True)]} accepted, {counts[(kind, False)]} refused")
        print(f"schema_agreement: {total} mutated bodies, {accepted_total} accepted, "
              f"{total - accepted_total} refused, {disagreements} disagreements")
        # The mutations must exercise both sides of the contract, or agreeing proves little.
        if total < 1000 or accepted_total < total // 20 or total - accepted_total < total // 20:
            print("schema_agreement: too few mutations, or too few on one side")
            failures += 1
        failures += disagreements
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
