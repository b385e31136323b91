#!/usr/bin/env python3
"""Static checks of the Grafana dashboards, run by deploy/test.sh.

    check_dashboards.py DASHBOARD.json...

For each dashboard: valid JSON; schemaVersion; unique uid and panel ids; panels inside the 24-column
grid and not overlapping; every query on the `${datasource}` variable; every `$variable` a query
uses defined in the dashboard; and every PromQL expression accepted by promtool (the expressions,
with Grafana's variables replaced by sample values, are written as recording rules to a temporary
file for `promtool check rules`). Prints one line per problem; exits 1 if there is any.
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

BUILTIN_VARS = {"__rate_interval", "__interval", "__range", "__all"}
# Sample values for variables, for the syntax check only.
SUBSTITUTE = {"__rate_interval": "1m", "__interval": "1m", "__range": "1h"}


def queries(board):
    """(where, expr) for every PromQL expression: panel targets, annotations, variables."""
    for panel in board.get("panels", []):
        for target in panel.get("targets", []):
            yield f"panel {panel['id']} '{panel['title']}' {target.get('refId')}", target.get("expr", "")
    for ann in board.get("annotations", {}).get("list", []):
        if "expr" in ann:
            yield f"annotation '{ann['name']}'", ann["expr"]
    for var in board.get("templating", {}).get("list", []):
        if var.get("type") == "query":
            m = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", var["definition"])
            if m:
                yield f"variable '{var['name']}'", f"group by ({m.group(2)}) ({m.group(1)})"
            else:
                yield f"variable '{var['name']}'", var["definition"]


def substitute(expr, variables):
    def value(m):
        name = m.group(1) or m.group(2)
        if name in SUBSTITUTE:
            return SUBSTITUTE[name]
        return "x" if name in variables else m.group(0)
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", value, expr)


def check(path):
    problems = []
    try:
        board = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        return [f"{path}: not valid JSON: {e}"], []
    name = path.name
    if not isinstance(board.get("schemaVersion"), int) or board["schemaVersion"] < 36:
        problems.append(f"{name}: schemaVersion {board.get('schemaVersion')!r} is not a current Grafana schema")
    if not board.get("uid") or len(board["uid"]) > 40:
        problems.append(f"{name}: uid missing or longer than 40 characters")
    variables = {v["name"] for v in board.get("templating", {}).get("list", [])}
    if "datasource" not in variables:
        problems.append(f"{name}: no `datasource` variable")

    ids = [p.get("id") for p in board.get("panels", [])]
    if len(ids) != len(set(ids)) or None in ids:
        problems.append(f"{name}: panel ids missing or not unique: {ids}")
    cells = {}
    for p in board.get("panels", []):
        g = p.get("gridPos", {})
        if g.get("x", -1) < 0 or g.get("x", 0) + g.get("w", 0) > 24 or g.get("w", 0) <= 0 or g.get("h", 0) <= 0:
            problems.append(f"{name}: panel {p.get('id')} '{p.get('title')}' outside the 24-column grid: {g}")
            continue
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                if (x, y) in cells:
                    problems.append(f"{name}: panel {p['id']} overlaps panel {cells[(x, y)]}")
                    break
                cells[(x, y)] = p["id"]
            else:
                continue
            break
        if p["type"] != "row":
            uids = {p.get("datasource", {}).get("uid")} | {t.get("datasource", {}).get("uid") for t in p.get("targets", [])}
            if uids != {"${datasource}"}:
                problems.append(f"{name}: panel {p['id']} '{p['title']}' does not use the ${{datasource}} variable: {uids}")
            if not p.get("targets"):
                problems.append(f"{name}: panel {p['id']} '{p['title']}' has no query")

    exprs = []
    for where, expr in queries(board):
        if not expr.strip():
            problems.append(f"{name}: {where}: empty expression")
            continue
        for m in re.finditer(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", expr):
            var = m.group(1) or m.group(2)
            if var not in variables and var not in BUILTIN_VARS:
                problems.append(f"{name}: {where}: uses undefined variable ${var}")
        exprs.append((f"{name}: {where}", substitute(expr, variables)))
    return problems, exprs


def promtool_accepts(exprs):
    """Runs promtool over the expressions (all at once; one by one only to name a culprit)."""
    def rejected(batch, tmp):
        rules = {"groups": [{"name": "dashboard", "rules": [
            {"record": f"dashboard:query_{i}", "expr": expr} for i, (_, expr) in enumerate(batch)]}]}
        f = pathlib.Path(tmp) / "queries.yml"
        f.write_text(yaml.safe_dump(rules))
        r = subprocess.run(["promtool", "check", "rules", str(f)], capture_output=True, text=True)
        return None if r.returncode == 0 else (r.stdout + r.stderr).strip().splitlines()[-1]

    with tempfile.TemporaryDirectory() as tmp:
        if rejected(exprs, tmp) is None:
            return []
        problems = []
        for where, expr in exprs:
            reason = rejected([(where, expr)], tmp)
            if reason:
                problems.append(f"{where}: promtool rejects `{expr}`: {reason}")
        return problems or ["promtool rejects the dashboard queries together but none alone"]


def main(paths):
    problems, exprs = [], []
    for p in paths:
        pr, ex = check(pathlib.Path(p))
        problems += pr
        exprs += ex
    problems += promtool_accepts(exprs)
    for line in problems:
        print(line)
    print(f"{len(paths)} dashboards, {len(exprs)} PromQL expressions, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
