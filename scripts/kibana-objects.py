#!/usr/bin/env python3
"""Writes kibana/tcp-congestion.ndjson: Sharkfin's Kibana saved objects (a data view, Lens visualizations and
the "TCP congestion control" dashboard) for Kibana 8.10+ and 9.x. One object per line, keys sorted, so diffs
stay readable. Edit this script, not the NDJSON: python3 scripts/kibana-objects.py

Fields are not named here: every one is looked up in the field catalog by its Wireshark name (or, for Sharkfin's
own fields, by its path), as docs/fields.md lists it (regenerated from the catalog by FieldReferenceTest), which
gives its document path and type. A field the catalog lacks, or of a type unfit for its use, stops the script.

Kibana versions (see README, "Kibana"): the oldest claimed is 8.10. Hence every options-list control is on a
keyword field (options lists on number fields came with Kibana PR #172106, 8.12), the control group carries only
the keys 8.10's schema knows, and each type's typeMigrationVersion is the latest migration 8.10 knows for it."""
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA_VIEW = "sharkfin-packets"
DASHBOARD = "sharkfin-tcp-congestion"
CORE = "8.8.0"                # coreMigrationVersion: the saved-objects core format since 8.8
MIGRATION = {"index-pattern": "8.0.0", "lens": "8.9.0", "dashboard": "8.7.0"}  # latest type migrations of 8.10
TIME = "@timestamp"
LENS_TYPE = {"number": "number", "seconds": "number", "ip": "ip", "keyword": "string", "boolean": "boolean"}


def read_catalog():
    """Wireshark name or document path -> (path, type), from docs/fields.md's field tables."""
    row = re.compile(r"^\| `([^`]+)` \| (?:`([^`]+)`|Sharkfin-only) \| ([a-z]+)")
    by_name = {}
    for line in (ROOT / "docs" / "fields.md").read_text().splitlines():
        m = row.match(line)
        if m:
            path, wireshark, type_ = m.groups()
            by_name[path] = (path, type_)
            if wireshark:
                by_name.setdefault(wireshark, (path, type_))
    return by_name


CATALOG = read_catalog()


def field(name, *types):
    """The document path of a catalog field, named as Wireshark names it (Sharkfin's own: by path)."""
    if name not in CATALOG:
        raise SystemExit("%s is not a field of Sharkfin's catalog (docs/fields.md)" % name)
    path, type_ = CATALOG[name]
    if types and type_ not in types:
        raise SystemExit("%s is %s; this use needs %s" % (name, type_, " or ".join(types)))
    return path


def lens_type(path):
    return LENS_TYPE[CATALOG[path][1]]


BIF = field("tcp.analysis.bytes_in_flight", "number")
FRAME_LEN = field("frame.len", "number")
WINDOW = field("tcp.window_size", "number")
RTT = field("tcp.analysis.ack_rtt", "number", "seconds")
TCP_STREAM = field("tcp.stream", "number")
IP_SRC = field("ip.src", "ip")
IPV6_SRC = field("ipv6.src", "ip")
CAPTURE = field("sharkfin.sharkfin_capture", "keyword")
STREAM_KEY = field("sharkfin.sharkfin_tcp_stream", "keyword")
DUP = field("tcp.analysis.duplicate_ack", "boolean")
RETRANS = field("tcp.analysis.retransmission", "boolean")
FAST = field("tcp.analysis.fast_retransmission", "boolean")
KQL_DUP = DUP + " : true"
KQL_RETRANS = RETRANS + " : true"
KQL_FAST = FAST + " : true"
KQL_RECEIVER = TCP_STREAM + " : * and not " + BIF + " : *"


def saved(type_, id_, attributes, references):
    return {"id": id_, "type": type_, "attributes": attributes, "references": references,
            "coreMigrationVersion": CORE, "typeMigrationVersion": MIGRATION[type_], "managed": False}


def date_histogram():
    return {"label": TIME, "dataType": "date", "operationType": "date_histogram", "sourceField": TIME,
            "isBucketed": True, "scale": "interval",
            "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False}}


def metric(op, field_, label, kql=None, data_type="number"):
    c = {"label": label, "customLabel": True, "dataType": data_type, "operationType": op, "sourceField": field_,
         "isBucketed": False, "scale": "ratio",
         "params": {"emptyAsNull": op != "count"}}
    if kql:
        c["filter"] = {"query": kql, "language": "kuery"}
    return c


def count(label, kql=None):
    return metric("count", "___records___", label, kql)


def terms(field_, label, size, order_by):
    return {"label": label, "customLabel": True, "dataType": lens_type(field_), "operationType": "terms",
            "sourceField": field_, "isBucketed": True, "scale": "ordinal",
            "params": {"size": size, "orderBy": {"type": "column", "columnId": order_by}, "orderDirection": "desc",
                       "otherBucket": False, "missingBucket": False, "parentFormat": {"id": "terms"}}}


def lens(id_, title, description, layers, visualization, vis_type, query=""):
    """layers: [(layer id, [(column id, column)])]"""
    state = {
        "datasourceStates": {"formBased": {"layers": {layer: {
            "columns": dict(columns), "columnOrder": [k for k, _ in columns], "incompleteColumns": {}}
            for layer, columns in layers}}},
        "visualization": visualization,
        "query": {"query": query, "language": "kuery"},
        "filters": [], "internalReferences": [], "adHocDataViews": {}}
    refs = [{"type": "index-pattern", "id": DATA_VIEW, "name": "indexpattern-datasource-current-indexpattern"}]
    refs += [{"type": "index-pattern", "id": DATA_VIEW, "name": "indexpattern-datasource-layer-" + layer}
             for layer, _ in layers]
    return saved("lens", id_, {"title": title, "description": description, "visualizationType": vis_type,
                               "state": state}, refs)


def xy_layer(accessors, x="time", split=None, series="line", right=(), layer="layer1"):
    layer_state = {"layerId": layer, "layerType": "data", "seriesType": series, "xAccessor": x,
                   "accessors": list(accessors),
                   "yConfig": [{"forAccessor": a, "axisMode": "right" if a in right else "left"} for a in accessors]}
    if split:
        layer_state["splitAccessor"] = split
    return layer_state


def xy(*layers, series="line"):
    return {"legend": {"isVisible": True, "position": "right"}, "valueLabels": "hide", "fittingFunction": "None",
            "preferredSeriesType": series, "layers": list(layers),
            "axisTitlesVisibilitySettings": {"x": True, "yLeft": True, "yRight": True}}


def table(columns, sort_by):
    return {"layerId": "layer1", "layerType": "data", "columns": [{"columnId": c} for c in columns],
            "sorting": {"columnId": sort_by, "direction": "desc"}}


objects = [saved("index-pattern", DATA_VIEW, {
    "title": "packets-*", "name": "Sharkfin packets", "timeFieldName": TIME, "allowNoIndex": True,
    "fields": "[]", "fieldAttrs": "{}", "fieldFormatMap": json.dumps({
        BIF: {"id": "bytes"}, FRAME_LEN: {"id": "bytes"}, WINDOW: {"id": "bytes"}}),
    "runtimeFieldMap": "{}", "sourceFilters": "[]", "typeMeta": "{}"}, [])]

panels = []  # (lens id, w, h)


def add(obj, w, h):
    objects.append(obj)
    panels.append((obj["id"], w, h))


add(lens("sharkfin-captures", "Captures: pick one above, then set the time to its first to last packet",
         "Every capture indexed, with its first and last packet. Opened from Kibana's dashboard list, the dashboard "
         "spans the last 20 years: pick a capture with the control, then drag across its packets on a chart (or set "
         "the time picker to the capture's first and last packet). A job's dashboardUrl does both for you.",
         [("layer1", [("capture", terms(CAPTURE, "Capture", 50, "last")),
                      ("first", metric("min", TIME, "First packet", data_type="date")),
                      ("last", metric("max", TIME, "Last packet", data_type="date")),
                      ("packets", count("Packets"))])],
         table(["capture", "first", "last", "packets"], "last"), "lnsDatatable"), 48, 8)
add(lens("sharkfin-tcp-bytes-in-flight", "Bytes in flight (top streams)",
         "Max tcp.analysis.bytes_in_flight per interval, one line per TCP stream (<job id>/<tcp.stream>, so streams "
         "of different captures stay apart): the sender's congestion window at work.",
         [("layer1", [("stream", terms(STREAM_KEY, "TCP stream", 5, "bif")),
                      ("time", date_histogram()), ("bif", metric("max", BIF, "Bytes in flight (max)"))])],
         xy(xy_layer(["bif"], split="stream")), "lnsXY"), 24, 14)
add(lens("sharkfin-tcp-duplicate-acks", "Duplicate ACKs",
         "Packets flagged tcp.analysis.duplicate_ack per interval: the receiver reporting a hole.",
         [("layer1", [("time", date_histogram()), ("dup", count("Duplicate ACKs", KQL_DUP))])],
         xy(xy_layer(["dup"], series="bar"), series="bar"), "lnsXY"), 24, 14)
add(lens("sharkfin-tcp-retransmissions", "Retransmissions and fast retransmissions",
         "Packets flagged tcp.analysis.retransmission and tcp.analysis.fast_retransmission per interval.",
         [("layer1", [("time", date_histogram()), ("retrans", count("Retransmissions", KQL_RETRANS)),
                      ("fast", count("Fast retransmissions", KQL_FAST))])],
         xy(xy_layer(["retrans", "fast"], series="bar"), series="bar"), "lnsXY"), 24, 14)
add(lens("sharkfin-tcp-throughput", "Throughput per direction",
         "Sum of frame.len per interval, split by source address (one series per direction), IPv4 (ip.src) and "
         "IPv6 (ipv6.src) alike: one layer each.",
         [("layer1", [("src", terms(IP_SRC, "IPv4 source", 6, "bytes")),
                      ("time", date_histogram()), ("bytes", metric("sum", FRAME_LEN, "Bytes on the wire (IPv4)"))]),
          ("layer2", [("src6", terms(IPV6_SRC, "IPv6 source", 6, "bytes6")),
                      ("time6", date_histogram()), ("bytes6", metric("sum", FRAME_LEN, "Bytes on the wire (IPv6)"))])],
         xy(xy_layer(["bytes"], split="src", series="area"),
            xy_layer(["bytes6"], x="time6", split="src6", series="area", layer="layer2"), series="area"), "lnsXY"),
    24, 14)
add(lens("sharkfin-tcp-rtt", "ACK round-trip time",
         "tcp.analysis.ack_rtt per interval (average and maximum), in seconds.",
         [("layer1", [("time", date_histogram()), ("avg", metric("average", RTT, "RTT (average, s)")),
                      ("max", metric("max", RTT, "RTT (max, s)"))])],
         xy(xy_layer(["avg", "max"])), "lnsXY"), 24, 14)
add(lens("sharkfin-tcp-window-vs-flight", "Advertised window vs bytes in flight",
         "The receiver's advertised window (tcp.window_size of the packets without bytes in flight, i.e. the ACKs) "
         "against the sender's bytes in flight. Bytes in flight at the window: receiver-limited; well below it, "
         "with duplicate ACKs and retransmissions: congestion-limited.",
         [("layer1", [("time", date_histogram()),
                      ("win", metric("max", WINDOW, "Advertised window (receiver)", KQL_RECEIVER)),
                      ("bif", metric("max", BIF, "Bytes in flight (sender)"))])],
         xy(xy_layer(["win", "bif"])), "lnsXY"), 24, 14)
add(lens("sharkfin-tcp-streams", "TCP streams",
         "Every TCP stream (<job id>/<tcp.stream>) with its packets, bytes, retransmissions and largest bytes in flight.",
         [("layer1", [("stream", terms(STREAM_KEY, "TCP stream", 100, "packets")),
                      ("packets", count("Packets")), ("bytes", metric("sum", FRAME_LEN, "Bytes")),
                      ("retrans", count("Retransmissions", KQL_RETRANS)), ("dup", count("Duplicate ACKs", KQL_DUP)),
                      ("bif", metric("max", BIF, "Max bytes in flight"))])],
         table(["stream", "packets", "bytes", "retrans", "dup", "bif"], "packets"), "lnsDatatable"), 48, 14)

panels_json, references = [], []
x = y = row = 0
for i, (lens_id, w, h) in enumerate(panels, start=1):
    if x + w > 48:
        x, y = 0, y + row
        row = 0
    row = max(row, h)
    key = "p%d" % i
    panels_json.append({"type": "lens", "panelIndex": key, "gridData": {"x": x, "y": y, "w": w, "h": h, "i": key},
                        "embeddableConfig": {"enhancements": {}}, "panelRefName": "panel_" + key})
    references.append({"type": "lens", "id": lens_id, "name": key + ":panel_" + key})
    x += w


def options_list(key, order, field_, title):
    """An options-list control; its id is its key (Kibana keys the control group's panels by control id)."""
    references.append({"type": "index-pattern", "id": DATA_VIEW, "name": "controlGroup_" + key + ":optionsListDataView"})
    return key, {"order": order, "width": "medium", "grow": True, "type": "optionsListControl",
                 "explicitInput": {"id": key, "fieldName": field_, "title": title, "singleSelect": True,
                                   "enhancements": {}}}


# The capture first; the stream chained under it (HIERARCHICAL): it offers the chosen capture's streams only.
controls = dict([options_list("sharkfin-capture-control", 0, CAPTURE, "Capture"),
                 options_list("sharkfin-stream-control", 1, STREAM_KEY, "TCP stream (<job id>/<tcp.stream>)")])

objects.append(saved("dashboard", DASHBOARD, {
    "title": "TCP congestion control",
    "description": "Sharkfin: bytes in flight, duplicate ACKs, retransmissions, throughput, RTT and the receiver's "
                   "window of the captures uploaded to Sharkfin (one index per upload, packets-<job id>). Pick a "
                   "capture, then a stream, with the controls; then drag across the capture's packets on a chart to "
                   "zoom to its time (the Captures table gives its first and last packet). A job's dashboardUrl opens "
                   "it on that capture and its time.",
    "panelsJSON": json.dumps(panels_json, separators=(",", ":")),
    "optionsJSON": json.dumps({"useMargins": True, "syncColors": False, "syncCursor": True, "syncTooltips": True,
                               "hidePanelTitles": False}, separators=(",", ":")),
    # The controls ignore the time range, so that the capture picker lists every capture whatever the time is.
    "controlGroupInput": {"controlStyle": "oneLine", "chainingSystem": "HIERARCHICAL",
                          "panelsJSON": json.dumps(controls, separators=(",", ":")),
                          "ignoreParentSettingsJSON": json.dumps({"ignoreFilters": False, "ignoreQuery": False,
                                                                  "ignoreTimerange": True, "ignoreValidations": False},
                                                                 separators=(",", ":"))},
    # Opened from the list: 20 years, not the last 15 minutes, so an old capture is in range; a URL's time wins.
    "timeRestore": True, "timeFrom": "now-20y", "timeTo": "now",
    "refreshInterval": {"pause": True, "value": 0},
    "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"},
                                                              "filter": []}, separators=(",", ":"))},
    "version": 1}, references))

out = ROOT / "kibana" / "tcp-congestion.ndjson"
out.write_text("".join(json.dumps(o, sort_keys=True, separators=(",", ":")) + "\n" for o in objects))
print("wrote", out, len(objects), "objects")
