#!/usr/bin/env python3
"""Writes kibana/tcp-congestion.ndjson: Sharkfin's Kibana saved objects (a data view, Lens visualizations and
the "TCP congestion control" dashboard) for Kibana 8.10+ and 9.x. One object per line, keys sorted, so diffs
stay readable. Edit this script, not the NDJSON: python3 scripts/kibana-objects.py"""
import json
import pathlib

DATA_VIEW = "sharkfin-packets"
CORE = "8.8.0"                # coreMigrationVersion: the saved-objects core format since 8.8
MIGRATION = {"index-pattern": "8.0.0", "lens": "8.9.0", "dashboard": "8.7.0"}  # last 8.x type migrations
TIME = "@timestamp"
BIF = "tcp.tcp_analysis_bytes_in_flight"
KQL_DUP = "tcp.tcp_analysis_duplicate_ack : true"
KQL_RETRANS = "tcp.tcp_analysis_retransmission : true"
KQL_FAST = "tcp.tcp_analysis_fast_retransmission : true"
KQL_RECEIVER = "tcp.tcp_stream : * and not tcp.tcp_analysis_bytes_in_flight : *"


def saved(type_, id_, attributes, references):
    return {"id": id_, "type": type_, "attributes": attributes, "references": references,
            "coreMigrationVersion": CORE, "typeMigrationVersion": MIGRATION[type_], "managed": False}


def date_histogram():
    return {"label": TIME, "dataType": "date", "operationType": "date_histogram", "sourceField": TIME,
            "isBucketed": True, "scale": "interval",
            "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False}}


def metric(op, field, label, kql=None):
    c = {"label": label, "customLabel": True, "dataType": "number", "operationType": op, "sourceField": field,
         "isBucketed": False, "scale": "ratio", "params": {"emptyAsNull": op != "count"}}
    if kql:
        c["filter"] = {"query": kql, "language": "kuery"}
    return c


def count(label, kql=None):
    return metric("count", "___records___", label, kql)


def terms(field, data_type, label, size, order_by):
    return {"label": label, "customLabel": True, "dataType": data_type, "operationType": "terms",
            "sourceField": field, "isBucketed": True, "scale": "ordinal",
            "params": {"size": size, "orderBy": {"type": "column", "columnId": order_by}, "orderDirection": "desc",
                       "otherBucket": False, "missingBucket": False, "parentFormat": {"id": "terms"}}}


def lens(id_, title, description, columns, visualization, vis_type, layer="layer1", query=""):
    state = {
        "datasourceStates": {"formBased": {"layers": {layer: {
            "columns": dict(columns), "columnOrder": [k for k, _ in columns], "incompleteColumns": {}}}}},
        "visualization": visualization,
        "query": {"query": query, "language": "kuery"},
        "filters": [], "internalReferences": [], "adHocDataViews": {}}
    return saved("lens", id_, {"title": title, "description": description, "visualizationType": vis_type,
                               "state": state},
                 [{"type": "index-pattern", "id": DATA_VIEW, "name": "indexpattern-datasource-current-indexpattern"},
                  {"type": "index-pattern", "id": DATA_VIEW, "name": "indexpattern-datasource-layer-" + layer}])


def xy(accessors, x="time", split=None, series="line", right=(), layer="layer1"):
    layer_state = {"layerId": layer, "layerType": "data", "seriesType": series, "xAccessor": x,
                   "accessors": list(accessors),
                   "yConfig": [{"forAccessor": a, "axisMode": "right" if a in right else "left"} for a in accessors]}
    if split:
        layer_state["splitAccessor"] = split
    return {"legend": {"isVisible": True, "position": "right"}, "valueLabels": "hide", "fittingFunction": "None",
            "preferredSeriesType": series, "layers": [layer_state],
            "axisTitlesVisibilitySettings": {"x": True, "yLeft": True, "yRight": True}}


objects = [saved("index-pattern", DATA_VIEW, {
    "title": "packets-*", "name": "Sharkfin packets", "timeFieldName": TIME, "allowNoIndex": True,
    "fields": "[]", "fieldAttrs": "{}", "fieldFormatMap": json.dumps({
        BIF: {"id": "bytes"}, "frame.frame_len": {"id": "bytes"}, "tcp.tcp_window_size": {"id": "bytes"}}),
    "runtimeFieldMap": "{}", "sourceFilters": "[]", "typeMeta": "{}"}, [])]

panels = []  # (lens id, w, h)

def add(obj, w, h):
    objects.append(obj)
    panels.append((obj["id"], w, h))

add(lens("sharkfin-tcp-bytes-in-flight", "Bytes in flight (top streams)",
         "Max tcp.analysis.bytes_in_flight per interval, one line per TCP stream: the sender's congestion window at work.",
         [("stream", terms("tcp.tcp_stream", "number", "TCP stream", 5, "bif")),
          ("time", date_histogram()), ("bif", metric("max", BIF, "Bytes in flight (max)"))],
         xy(["bif"], split="stream"), "lnsXY"), 24, 14)
add(lens("sharkfin-tcp-duplicate-acks", "Duplicate ACKs",
         "Packets flagged tcp.analysis.duplicate_ack per interval: the receiver reporting a hole.",
         [("time", date_histogram()), ("dup", count("Duplicate ACKs", KQL_DUP))],
         xy(["dup"], series="bar"), "lnsXY"), 24, 14)
add(lens("sharkfin-tcp-retransmissions", "Retransmissions and fast retransmissions",
         "Packets flagged tcp.analysis.retransmission and tcp.analysis.fast_retransmission per interval.",
         [("time", date_histogram()), ("retrans", count("Retransmissions", KQL_RETRANS)),
          ("fast", count("Fast retransmissions", KQL_FAST))],
         xy(["retrans", "fast"], series="bar"), "lnsXY"), 24, 14)
add(lens("sharkfin-tcp-throughput", "Throughput per direction",
         "Sum of frame.frame_len per interval, split by source address (one series per direction).",
         [("src", terms("ip.ip_src", "ip", "Source", 6, "bytes")),
          ("time", date_histogram()), ("bytes", metric("sum", "frame.frame_len", "Bytes on the wire"))],
         xy(["bytes"], split="src", series="area"), "lnsXY"), 24, 14)
add(lens("sharkfin-tcp-rtt", "ACK round-trip time",
         "tcp.analysis.ack_rtt per interval (average and maximum), in seconds.",
         [("time", date_histogram()), ("avg", metric("average", "tcp.tcp_analysis_ack_rtt", "RTT (average, s)")),
          ("max", metric("max", "tcp.tcp_analysis_ack_rtt", "RTT (max, s)"))],
         xy(["avg", "max"]), "lnsXY"), 24, 14)
add(lens("sharkfin-tcp-window-vs-flight", "Advertised window vs bytes in flight",
         "The receiver's advertised window (tcp.window_size of the packets without bytes in flight, i.e. the ACKs) "
         "against the sender's bytes in flight. Bytes in flight at the window: receiver-limited; well below it, "
         "with duplicate ACKs and retransmissions: congestion-limited.",
         [("time", date_histogram()),
          ("win", metric("max", "tcp.tcp_window_size", "Advertised window (receiver)", KQL_RECEIVER)),
          ("bif", metric("max", BIF, "Bytes in flight (sender)"))],
         xy(["win", "bif"]), "lnsXY"), 24, 14)
add(lens("sharkfin-tcp-streams", "TCP streams",
         "Every TCP stream with its packets, bytes, retransmissions and largest bytes in flight.",
         [("stream", terms("tcp.tcp_stream", "number", "TCP stream", 100, "packets")),
          ("packets", count("Packets")), ("bytes", metric("sum", "frame.frame_len", "Bytes")),
          ("retrans", count("Retransmissions", KQL_RETRANS)), ("dup", count("Duplicate ACKs", KQL_DUP)),
          ("bif", metric("max", BIF, "Max bytes in flight"))],
         {"layerId": "layer1", "layerType": "data",
          "columns": [{"columnId": c} for c in ["stream", "packets", "bytes", "retrans", "dup", "bif"]],
          "sorting": {"columnId": "packets", "direction": "desc"}}, "lnsDatatable"), 48, 14)

panels_json, references = [], []
x = y = 0
for i, (lens_id, w, h) in enumerate(panels, start=1):
    if x + w > 48:
        x, y = 0, y + h
    key = "p%d" % i
    panels_json.append({"type": "lens", "panelIndex": key, "gridData": {"x": x, "y": y, "w": w, "h": h, "i": key},
                        "embeddableConfig": {"enhancements": {}}, "panelRefName": "panel_" + key})
    references.append({"type": "lens", "id": lens_id, "name": key + ":panel_" + key})
    x += w

CONTROL = "sharkfin-stream-control"
controls = {CONTROL: {"order": 0, "width": "medium", "grow": True, "type": "optionsListControl",
                      "explicitInput": {"id": CONTROL, "fieldName": "tcp.tcp_stream", "title": "TCP stream",
                                        "singleSelect": True, "enhancements": {}}}}
references.append({"type": "index-pattern", "id": DATA_VIEW, "name": "controlGroup_" + CONTROL + ":optionsListDataView"})

objects.append(saved("dashboard", "sharkfin-tcp-congestion", {
    "title": "TCP congestion control",
    "description": "Sharkfin: bytes in flight, duplicate ACKs, retransmissions, throughput, RTT and the receiver's "
                   "window of the captures uploaded to Sharkfin (one index per upload, packets-<job id>). Pick a "
                   "stream with the control; open it from a job's dashboardUrl to see that capture only.",
    "panelsJSON": json.dumps(panels_json, separators=(",", ":")),
    "optionsJSON": json.dumps({"useMargins": True, "syncColors": False, "syncCursor": True, "syncTooltips": True,
                               "hidePanelTitles": False}, separators=(",", ":")),
    "controlGroupInput": {"controlStyle": "oneLine", "chainingSystem": "HIERARCHICAL",
                          "panelsJSON": json.dumps(controls, separators=(",", ":")),
                          "ignoreParentSettingsJSON": json.dumps({"ignoreFilters": False, "ignoreQuery": False,
                                                                  "ignoreTimerange": False, "ignoreValidations": False},
                                                                 separators=(",", ":"))},
    "timeRestore": False,
    "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"},
                                                              "filter": []}, separators=(",", ":"))},
    "version": 1}, references))

out = pathlib.Path(__file__).resolve().parent.parent / "kibana" / "tcp-congestion.ndjson"
out.write_text("".join(json.dumps(o, sort_keys=True, separators=(",", ":")) + "\n" for o in objects))
print("wrote", out, len(objects), "objects")
