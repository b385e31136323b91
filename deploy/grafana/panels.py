"""Grafana panel builders for build_dashboards.py (schemaVersion 39, Grafana 10.3 / 11).

Every panel queries the datasource chosen in the `datasource` variable, so the dashboards work
with any Prometheus-compatible datasource (Prometheus, Thanos, Mimir, VictoriaMetrics).
"""

DS = {"type": "prometheus", "uid": "${datasource}"}
GRID_WIDTH = 24


class Layout:
    """Places panels left to right in Grafana's 24-column grid, wrapping to a new line when full,
    and numbers them; a row always starts a new line."""

    def __init__(self):
        self.panels = []
        self._x = 0
        self._y = 0
        self._line_height = 0

    def add(self, panel):
        w, h = panel["gridPos"]["w"], panel["gridPos"]["h"]
        if panel["type"] == "row" or self._x + w > GRID_WIDTH:
            self._y += self._line_height
            self._x = 0
            self._line_height = 0
        panel["gridPos"].update(x=self._x, y=self._y)
        panel["id"] = len(self.panels) + 1
        self._x += w
        self._line_height = max(self._line_height, h)
        if panel["type"] == "row":
            self._x = GRID_WIDTH  # nothing shares a line with a row header
        self.panels.append(panel)


def datasource_var():
    return {
        "name": "datasource",
        "label": "Data source",
        "type": "datasource",
        "query": "prometheus",
        "current": {"selected": False, "text": "linkprobe Prometheus", "value": "linkprobe-prometheus"},
        "hide": 0,
        "includeAll": False,
        "multi": False,
        "options": [],
        "refresh": 1,
        "regex": "",
        "skipUrlSync": False,
    }


def query_var(name, label, query, multi):
    var = {
        "name": name,
        "label": label,
        "type": "query",
        "datasource": DS,
        "definition": query,
        # The classic string form: every Grafana version reads it (and migrates it to its editor).
        "query": query,
        "refresh": 2,  # on time range change: sites come and go
        "sort": 1,
        "hide": 0,
        "regex": "",
        "multi": multi,
        "includeAll": multi,
        "current": {},
        "options": [],
        "skipUrlSync": False,
    }
    if multi:
        # Matches every value (and a site without the label) with =~, without listing 7,000 sites.
        var["allValue"] = ".*"
        var["current"] = {"selected": True, "text": ["All"], "value": ["$__all"]}
    return var


def row(title):
    return {"type": "row", "title": title, "collapsed": False, "panels": [], "gridPos": {"h": 1, "w": GRID_WIDTH}}


def _target(expr, ref, legend="", instant=False, fmt="time_series"):
    return {
        "datasource": DS,
        "refId": ref,
        "expr": expr,
        "legendFormat": legend or "__auto",
        "range": not instant,
        "instant": instant,
        "format": fmt,
        "editorMode": "code",
    }


def _refs():
    return iter("ABCDEFGHIJ")


def _thresholds(steps):
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for c, v in steps]}


def _panel(kind, title, w, h, description):
    return {"type": kind, "title": title, "description": description, "datasource": DS,
            "gridPos": {"h": h, "w": w}, "transparent": False}


def stat(title, expr, unit="short", color="blue", w=4, h=4, thresholds=None, mappings=None, description=""):
    p = _panel("stat", title, w, h, description)
    defaults = {"unit": unit, "decimals": None if unit != "percentunit" else 1,
                "thresholds": _thresholds(thresholds or [("green", None)]), "mappings": []}
    defaults = {k: v for k, v in defaults.items() if v is not None}
    if color == "thresholds":
        defaults["color"] = {"mode": "thresholds"}
    else:
        defaults["color"] = {"mode": "fixed", "fixedColor": color}
    if mappings:
        defaults["mappings"] = [{"type": "value", "options": {
            k: {"text": text, "index": i} for i, (k, text) in enumerate(mappings.items())}}]
    p["fieldConfig"] = {"defaults": defaults, "overrides": []}
    p["options"] = {
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "colorMode": "background", "graphMode": "none", "justifyMode": "auto", "orientation": "auto",
        "textMode": "value", "wideLayout": True, "showPercentChange": False,
    }
    p["targets"] = [_target(expr, "A", instant=True)]
    return p


def timeseries(title, queries, unit="short", w=12, h=8, stack=False, colors=None, min_interval=None,
               threshold_line=None, steps=False, dashed_regex=None, bars=False, description=""):
    p = _panel("timeseries", title, w, h, description)
    custom = {
        "drawStyle": "bars" if bars else "line",
        "lineInterpolation": "stepAfter" if steps else "linear",
        "lineWidth": 1,
        "fillOpacity": 80 if bars else (30 if stack else 0),
        "showPoints": "auto",
        "pointSize": 4,
        "spanNulls": steps,  # a test result holds until the next test
        "stacking": {"mode": "normal" if stack else "none", "group": "A"},
        "axisPlacement": "auto",
        "axisSoftMin": 0,
        "thresholdsStyle": {"mode": "dashed" if threshold_line is not None else "off"},
    }
    steps_ = [("green", None)] + ([("red", threshold_line)] if threshold_line is not None else [])
    overrides = []
    for name, color in (colors or {}).items():
        overrides.append({"matcher": {"id": "byName", "options": name},
                          "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": color}}]})
    if dashed_regex:
        overrides.append({"matcher": {"id": "byRegexp", "options": dashed_regex},
                          "properties": [{"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}}]})
    p["fieldConfig"] = {"defaults": {"unit": unit, "custom": custom, "color": {"mode": "palette-classic"},
                                     "thresholds": _thresholds(steps_), "mappings": []},
                        "overrides": overrides}
    p["options"] = {"legend": {"displayMode": "table", "placement": "bottom", "showLegend": True,
                               "calcs": ["lastNotNull", "mean", "max"]},
                    "tooltip": {"mode": "multi", "sort": "desc"}}
    if min_interval:
        p["interval"] = min_interval
    refs = _refs()
    p["targets"] = [_target(expr, next(refs), legend) for expr, legend in queries]
    return p


def table(title, queries, unit="short", w=12, h=8, site_link=None, sort=None, ascending=False,
          mappings=None, thresholds=None, hide=(), description=""):
    """Instant queries in table format; each query's value column is renamed to its given name."""
    p = _panel("table", title, w, h, description)
    overrides = []
    if site_link:
        overrides.append({"matcher": {"id": "byName", "options": "site"},
                          "properties": [{"id": "links", "value": [
                              {"title": "Open the site dashboard", "url": site_link, "targetBlank": False}]}]})
    for _, name in queries:
        props = [{"id": "unit", "value": unit}]
        if thresholds and name in thresholds:
            props += [{"id": "thresholds", "value": _thresholds(thresholds[name])},
                      {"id": "custom.cellOptions", "value": {"type": "color-background", "mode": "basic"}}]
        if mappings and name in mappings:
            props += [{"id": "mappings", "value": [{"type": "value", "options": {
                k: {"text": text, "color": color, "index": i}
                for i, (k, (text, color)) in enumerate(mappings[name].items())}}]},
                      {"id": "custom.cellOptions", "value": {"type": "color-background", "mode": "basic"}}]
        overrides.append({"matcher": {"id": "byName", "options": name}, "properties": props})
    p["fieldConfig"] = {"defaults": {"custom": {"align": "auto", "filterable": True,
                                                "cellOptions": {"type": "auto"}, "inspect": False},
                                     "thresholds": _thresholds([("green", None)]), "mappings": []},
                        "overrides": overrides}
    p["options"] = {"showHeader": True, "cellHeight": "sm", "footer": {"show": False, "reducer": ["sum"], "fields": ""},
                    "sortBy": [{"displayName": sort, "desc": not ascending}] if sort else []}
    refs = _refs()
    p["targets"] = [_target(expr, next(refs), instant=True, fmt="table") for expr, _ in queries]
    exclude = {"Time": True, "__name__": True, "job": True, "instance": True}
    exclude.update({name: True for name in hide})
    rename = {}
    if len(queries) == 1:
        rename["Value"] = queries[0][1]
    else:
        rename.update({f"Value #{chr(ord('A') + i)}": name for i, (_, name) in enumerate(queries)})
    p["transformations"] = [{"id": "organize", "options": {"excludeByName": exclude, "renameByName": rename,
                                                           "indexByName": {}}}]
    return p


def bargauge(title, queries, unit="short", w=12, h=10, max_value=None, thresholds=None, description=""):
    p = _panel("bargauge", title, w, h, description)
    defaults = {"unit": unit, "min": 0, "thresholds": _thresholds(thresholds or [("green", None)]),
                "color": {"mode": "thresholds"}, "mappings": []}
    if max_value is not None:
        defaults["max"] = max_value
    p["fieldConfig"] = {"defaults": defaults, "overrides": []}
    p["options"] = {"orientation": "horizontal", "displayMode": "gradient", "showUnfilled": True,
                    "valueMode": "color", "namePlacement": "auto", "sizing": "auto",
                    "minVizHeight": 16, "minVizWidth": 8, "maxVizHeight": 300,
                    "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}}
    refs = _refs()
    p["targets"] = [_target(expr, next(refs), legend, instant=True) for expr, legend in queries]
    return p


def heatmap(title, expr, w=12, h=8, min_interval=None, description=""):
    """A classic-histogram heatmap: one row per bucket, counts per time step."""
    p = _panel("heatmap", title, w, h, description)
    p["fieldConfig"] = {"defaults": {"custom": {"hideFrom": {"legend": False, "tooltip": False, "viz": False},
                                                "scaleDistribution": {"type": "linear"}}},
                        "overrides": []}
    p["options"] = {
        "calculate": False,
        "cellGap": 1,
        "color": {"mode": "scheme", "scheme": "Oranges", "fill": "dark-orange", "scale": "exponential",
                  "exponent": 0.5, "steps": 64, "reverse": False},
        "yAxis": {"axisPlacement": "left", "unit": "s", "reverse": False},
        "rowsFrame": {"layout": "auto"},
        "cellValues": {"unit": "short"},
        "filterValues": {"le": 1e-09},
        "legend": {"show": True},
        "tooltip": {"mode": "single", "yHistogram": False, "showColorScale": False},
        "exemplars": {"color": "rgba(255,0,255,0.7)"},
    }
    if min_interval:
        p["interval"] = min_interval
    p["targets"] = [_target(expr, "A", "{{le}}", fmt="heatmap")]
    return p
