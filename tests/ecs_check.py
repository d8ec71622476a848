#!/usr/bin/env python3
# ecs_check.py - check alert lines against the ECS field list (stdlib only)
"""Usage: ecs_check.py FIELDS_CSV [FILE...]

Reads alert documents, one JSON object per line, from each FILE (or stdin)
and checks that every line is strict UTF-8 JSON (no NaN, no duplicate keys,
no null values, no escaped slashes) and that every leaf field is either an ECS
field of a compatible type (arrays where ECS says array, single values
elsewhere) or lies under the custom namespaces auditd.* and audisp_dracut.*.
A document with event.kind "alert" must also suit Elastic's External Alerts
promotion rule (rule_id eb079c62-4481-4d6e-9643-3ca499df7aaa), which names
the alert from message, grades it by event.severity (21, 47, 73, 99: low,
medium, high, critical) and scores it by event.risk_score (0 to 100): so
message is the rule's name (rule.name) and event.reason says what happened.
Exits 0 if all lines pass, 1 if any fails, 77 if FIELDS_CSV is missing.
"""
import csv
import json
import re
import sys

OWN = ("auditd", "audisp_dracut")
STRING = {"keyword", "constant_keyword", "wildcard", "match_only_text",
          "text", "ip"}
INTEGER = {"long", "integer", "short", "byte", "unsigned_long"}
FLOAT = {"float", "double", "scaled_float", "half_float"}
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def load(path):
    fields = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            fields[row["Field"]] = (row["Type"],
                                    row["Normalization"] == "array")
    return fields


def type_ok(ftype, v):
    if ftype in STRING:
        return isinstance(v, str)
    if ftype == "date":
        return isinstance(v, str) and bool(DATE.match(v))
    if ftype in INTEGER:
        return isinstance(v, int) and not isinstance(v, bool)
    if ftype in FLOAT:
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if ftype == "boolean":
        return isinstance(v, bool)
    return False


def walk(fields, v, path, errors):
    if path and path.split(".")[0] in OWN:
        if v is None:
            errors.append(f"{path}: null")
        return
    if isinstance(v, dict):
        f = fields.get(path) if path else None
        if f and f[0] != "object":
            errors.append(f"{path}: an object, ECS says {f[0]}")
        for k, sub in v.items():
            walk(fields, sub, f"{path}.{k}" if path else k, errors)
        return
    f = fields.get(path)
    if f is None:
        errors.append(f"{path}: not an ECS field")
        return
    ftype, is_array = f
    if isinstance(v, list):
        if not is_array:
            errors.append(f"{path}: an array, ECS says one {ftype}")
        for i, e in enumerate(v):
            if not type_ok(ftype, e):
                errors.append(f"{path}[{i}]: {e!r} is not {ftype}")
        return
    if is_array:
        errors.append(f"{path}: one value, ECS says an array")
    if not type_ok(ftype, v):
        errors.append(f"{path}: {v!r} is not {ftype}")


SEVERITY_CODES = (21, 47, 73, 99)  # low, medium, high, critical
RISK_MAX = 100


def promotion(doc, errors):
    """What Elastic's External Alerts rule takes from an alert."""
    event = doc.get("event")
    if not isinstance(event, dict) or event.get("kind") != "alert":
        return
    rule = doc.get("rule") if isinstance(doc.get("rule"), dict) else {}
    if "name" in rule and doc.get("message") != rule["name"]:
        errors.append("message: %r, the alert's name, is not rule.name %r"
                      % (doc.get("message"), rule["name"]))
    if not isinstance(event.get("reason"), str):
        errors.append("event.reason: missing")
    if event.get("severity") not in SEVERITY_CODES:
        errors.append("event.severity: %r is not one of %s"
                      % (event.get("severity"), SEVERITY_CODES))
    risk = event.get("risk_score")
    if not isinstance(risk, (int, float)) or isinstance(risk, bool) or \
            not 0 <= risk <= RISK_MAX:
        errors.append(f"event.risk_score: {risk!r} is not 0 to {RISK_MAX}")


def no_dups(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def bad_constant(name):
    raise ValueError(f"{name} is not JSON")


def escaped_slash(line):
    i = 0
    while True:
        i = line.find("\\", i)
        if i < 0 or i + 1 >= len(line):
            return False
        if line[i + 1] == "/":
            return True
        i += 2


def check_line(fields, raw, where):
    errors = []
    try:
        line = raw.decode("utf-8")  # strict: rejects surrogates, overlongs
    except UnicodeDecodeError as e:
        return [f"{where}: not UTF-8: {e}"]
    if line.endswith("\n"):
        line = line[:-1]
    if "\n" in line or "\r" in line:
        errors.append(f"{where}: raw line break inside the document")
    if escaped_slash(line):
        errors.append(f"{where}: escaped slash")
    try:
        doc = json.loads(line, object_pairs_hook=no_dups,
                         parse_constant=bad_constant)
    except ValueError as e:
        return errors + [f"{where}: not strict JSON: {e}"]
    if not isinstance(doc, dict):
        return errors + [f"{where}: not an object"]
    sub = []
    walk(fields, doc, "", sub)
    promotion(doc, sub)
    return errors + [f"{where}: {e}" for e in sub]


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        fields = load(argv[1])
    except FileNotFoundError:
        print(f"SKIP: {argv[1]} not found", file=sys.stderr)
        return 77
    errors, lines = [], 0
    streams = [(p, open(p, "rb")) for p in argv[2:]] or \
        [("-", sys.stdin.buffer)]
    for name, f in streams:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            lines += 1
            errors += check_line(fields, raw, f"{name}:{n}")
    for e in errors:
        print(e, file=sys.stderr)
    print(f"ecs_check: {lines} documents, {len(errors)} problems",
          file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
