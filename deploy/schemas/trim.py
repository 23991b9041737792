#!/usr/bin/env python3
"""Stores a schema from its source, trimmed: descriptions and the draft's URL dropped (the validator's own draft
applies), and closed as kubeconform's strict mode does
(an object that lists its properties admits no others, unless it keeps unknown fields on purpose), so that a
misspelled field fails validation. Usage: trim.py SOURCE.json TARGET.json"""
import json
import sys


def trim(node):
    if isinstance(node, list):
        return [trim(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: trim(value) for key, value in node.items() if key not in ("description", "$schema")}
    if ("properties" in result and "additionalProperties" not in result
            and not result.get("x-kubernetes-preserve-unknown-fields")):
        result["additionalProperties"] = False
    return result


with open(sys.argv[1], encoding="utf-8") as source:
    schema = json.load(source)
with open(sys.argv[2], "w", encoding="utf-8") as target:
    json.dump(trim(schema), target, separators=(",", ":"), sort_keys=True)
    target.write("\n")
