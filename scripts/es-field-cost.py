#!/usr/bin/env python3
"""What each class of field costs Elasticsearch, and what a mapping choice saves (issue 10, item 4).

Indexes the same documents (scripts/es-field-cost.sh exports them: the packet template as the service installs it,
and the documents of a capture N times over, with the service's ids) into one index per variant, each differing
from today's template by one mapping or settings choice, then force-merges each to one segment and reports:

  bytes/packet  the index's store size after the force-merge, per document
  ES us/doc     Elasticsearch's process CPU (user+system, /proc/<pid>/stat) during the bulk and refresh, per document
  docs/s        documents per second of wall time for the same
  merge us/doc  its CPU during the force-merge, per document (what background merging would cost)

and, for today's template, the per-field disk usage (`_disk_usage`) summed by mapping class: inverted index, points,
doc values, stored fields (_source), norms. Runs are repeated (--repeat) and the spread printed: on a shared machine
CPU per document is the robust figure, rates move with whatever else runs.
"""
import argparse
import copy
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / TICK


class Es:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=1800)

    def call(self, method, path, body=None, ctype="application/json", ok=(200, 201)):
        h = {"Content-Type": ctype} if body is not None else {}
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        if r.status not in ok:
            raise RuntimeError("%s %s: HTTP %d %s" % (method, path, r.status, data[:600]))
        return json.loads(data) if data else None


# ---- the variants: each a function (template) -> template, changing one thing ----------------------------------

def leaves(props, prefix=""):
    """(path, mapping) of every leaf field of a mapping's properties."""
    for k, v in props.items():
        if "properties" in v:
            yield from leaves(v["properties"], prefix + k + ".")
        else:
            yield prefix + k, v


def mapping_class(m):
    """A leaf mapping's class: its type, with today's variants told apart."""
    t = m.get("type", "object")
    if t == "keyword" and "fields" in m:
        return "keyword+text"
    if t == "float" and m.get("index") is False:
        return "float (unindexed)"
    return t


def catalog_leaves(t):
    return [(p, m) for p, m in leaves(t["template"]["mappings"]["properties"]) if p != "@timestamp"]


def per_class(types, change):
    def apply(t):
        for _, m in catalog_leaves(t):
            if m.get("type") in types:
                change(m)
        return t
    return apply


def on_paths(paths, change):
    def apply(t):
        for path, m in catalog_leaves(t):
            if path in paths:
                change(m)
        return t
    return apply


# High-entropy numbers a user filters on (to find one segment in two captures) but has no reason to aggregate.
IDENTIFIERS = {"tcp.tcp_seq_raw", "tcp.tcp_ack_raw", "ip.ip_id", "tcp.tcp_options_timestamp_tsval",
               "tcp.tcp_options_timestamp_tsecr"}


def settings(**s):
    def apply(t):
        t["template"]["settings"].update(s)
        return t
    return apply


def source_mode(mode):
    def apply(t):
        t["template"]["settings"]["index.mapping.source.mode"] = mode
        return t
    return apply


def keep_only(needed):
    """Fields outside `needed` (a set of document paths) neither indexed nor with doc values: _source only."""
    def apply(t):
        for path, m in catalog_leaves(t):
            if path not in needed and m.get("type") != "object":
                m["index"] = False
                m["doc_values"] = False
                m.pop("fields", None)
                m.pop("ignore_malformed", None) if m.get("type") != "date_nanos" else None
        return t
    return apply


def both(*fs):
    def apply(t):
        for f in fs:
            t = f(t)
        return t
    return apply


NUMERIC = {"long", "float", "double", "boolean", "ip", "date_nanos"}

VARIANTS = {
    "today": lambda t: t,
    "numbers-no-doc_values": per_class({"long"}, lambda m: m.update(doc_values=False)),
    "numbers-unindexed": per_class({"long"}, lambda m: m.update(index=False)),
    "keywords-no-doc_values": per_class({"keyword"}, lambda m: m.update(doc_values=False)),
    "keywords-unindexed": per_class({"keyword"}, lambda m: m.update(index=False)),
    "seconds-no-doc_values": per_class({"float"}, lambda m: m.update(doc_values=False)),
    "booleans-no-doc_values": per_class({"boolean"}, lambda m: m.update(doc_values=False)),
    "text-subfields-off": per_class({"keyword"}, lambda m: m.pop("fields", None)),
    "identifiers-no-doc_values": on_paths(IDENTIFIERS, lambda m: m.update(doc_values=False)),
    "identifiers-unindexed": on_paths(IDENTIFIERS, lambda m: m.update(index=False)),
    "frame_time-no-doc_values": on_paths({"frame.frame_time"}, lambda m: m.update(doc_values=False)),
    "best_compression": settings(**{"index.codec": "best_compression"}),
    "sorted-by-time": settings(**{"index.sort.field": "@timestamp", "index.sort.order": "asc"}),
    "synthetic-source": source_mode("synthetic"),
}


def load_needed(path):
    if not path:
        return None
    with open(path) as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


# ---- measuring ------------------------------------------------------------------------------------------------

def read_bodies(path, copies, per_request):
    """The exported NDJSON as bulk bodies of per_request documents; `copies` times over, ids made distinct."""
    with open(path, "rb") as f:
        lines = f.read().splitlines()
    pairs = [(lines[i], lines[i + 1]) for i in range(0, len(lines), 2)]
    bodies, chunk = [], []
    for c in range(copies):
        for action, doc in pairs:
            chunk.append(action.replace(b'"_id":"', b'"_id":"c%d-' % c) + b"\n" + doc + b"\n")
            if len(chunk) == per_request:
                bodies.append(b"".join(chunk))
                chunk = []
    if chunk:
        bodies.append(b"".join(chunk))
    return bodies, len(pairs) * copies


def put_template(es, name, template):
    t = copy.deepcopy(template)
    t["index_patterns"] = [name]
    t["priority"] = 500
    es.call("PUT", "/_index_template/" + name, t)


def measure(es, es_pid, name, template, bodies, docs):
    es.call("DELETE", "/" + name, ok=(200, 404))
    put_template(es, name, template)
    es.call("PUT", "/" + name)
    before, t0 = cpu_seconds(es_pid), time.time()
    errors = 0
    for b in bodies:
        r = es.call("POST", "/%s/_bulk?filter_path=errors,items.*.error" % name, b, "application/x-ndjson")
        if r.get("errors"):
            errors += sum(1 for it in r.get("items", []) if "error" in next(iter(it.values())))
            if errors and errors < 3:
                print("  %s: %s" % (name, json.dumps(r["items"][0])[:400]), file=sys.stderr)
    es.call("POST", "/%s/_refresh" % name)
    wall = time.time() - t0
    bulk_cpu = cpu_seconds(es_pid) - before
    before = cpu_seconds(es_pid)
    es.call("POST", "/%s/_forcemerge?max_num_segments=1" % name)
    es.call("POST", "/%s/_refresh" % name)
    merge_cpu = cpu_seconds(es_pid) - before
    stats = es.call("GET", "/%s/_stats/store,docs" % name)["indices"][name]["primaries"]
    count = stats["docs"]["count"]
    return {"docs": count, "errors": errors, "bytes": stats["store"]["size_in_bytes"] / max(1, count),
            "es_us": bulk_cpu * 1e6 / docs, "rate": docs / wall, "merge_us": merge_cpu * 1e6 / docs}


def disk_usage_by_class(es, name, template):
    """_disk_usage of the index, summed by the mapping class of each field (and _source, _id, ... on their own)."""
    classes = {p: mapping_class(m) for p, m in leaves(template["template"]["mappings"]["properties"])}
    for p, m in list(leaves(template["template"]["mappings"]["properties"])):
        for sub in m.get("fields", {}):
            classes[p + "." + sub] = "text (sub-field)"
    r = es.call("POST", "/%s/_disk_usage?run_expensive_tasks=true" % name)[name]
    sums = {}
    top = sorted(r["fields"].items(), key=lambda kv: -kv[1].get("total_in_bytes", 0))[:30]
    print("\n  heaviest fields: " + ", ".join("%s %s" % (f, u["total_in_bytes"]) for f, u in top))
    for field, u in r["fields"].items():
        cls = classes.get(field, field if field.startswith("_") else "dynamic/other")
        s = sums.setdefault(cls, {"fields": 0, "inverted_index": 0, "points": 0, "doc_values": 0, "stored": 0,
                                  "norms": 0, "total": 0})
        s["fields"] += 1
        s["inverted_index"] += u.get("inverted_index", {}).get("total_in_bytes", 0)
        s["points"] += u.get("points_in_bytes", 0)
        s["doc_values"] += u.get("doc_values_in_bytes", 0)
        s["stored"] += u.get("stored_fields_in_bytes", 0)
        s["norms"] += u.get("norms_in_bytes", 0)
        s["total"] += u.get("total_in_bytes", 0)
    return r["store_size_in_bytes"], sums


def spread(xs):
    if len(xs) == 1:
        return "%.1f" % xs[0]
    return "%.1f (%.1f-%.1f)" % (statistics.median(xs), min(xs), max(xs))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("export", help="the directory FieldCostExport wrote (template.json, documents.ndjson)")
    ap.add_argument("--es", default="http://127.0.0.1:19250")
    ap.add_argument("--es-pid", type=int, required=True)
    ap.add_argument("--copies", type=int, default=20, help="times the documents are indexed into each variant")
    ap.add_argument("--bulk", type=int, default=5000, help="documents per bulk request (Sharkfin's default)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per variant, interleaved; median and range printed")
    ap.add_argument("--variants", default="", help="comma-separated subset of: " + ",".join(VARIANTS))
    ap.add_argument("--needed", help="a file of document paths (one a line) that must stay indexed: adds the "
                    "variant 'only-needed-indexed' (every other catalog field _source only)")
    ap.add_argument("--compare", help="another template.json (e.g. an older build's export) to measure as variant 'compared'")
    ap.add_argument("--disk-usage", action="store_true", help="print today's _disk_usage by field class")
    args = ap.parse_args()

    with open(os.path.join(args.export, "template.json")) as f:
        base = json.load(f)
    variants = dict(VARIANTS)
    needed = load_needed(args.needed)
    if needed is not None:
        variants["only-needed-indexed"] = keep_only(needed)
    if args.compare:
        with open(args.compare) as f:
            proposed = json.load(f)
        variants["compared"] = lambda t: copy.deepcopy(proposed)
    chosen = [v for v in args.variants.split(",") if v] or list(variants)
    es = Es(args.es)
    bodies, docs = read_bodies(os.path.join(args.export, "documents.ndjson"), args.copies, args.bulk)
    print("%d documents per variant (%d bulk requests), Elasticsearch pid %d, %d cores, load %.1f" % (
        docs, len(bodies), args.es_pid, os.cpu_count(), os.getloadavg()[0]))
    measure(es, args.es_pid, "cost-warm-up", base, bodies, docs)  # both the JIT and the page cache warmed, not counted
    es.call("DELETE", "/cost-warm-up")
    results = {v: [] for v in chosen}
    for run in range(args.repeat):
        for v in chosen:
            name = "cost-" + v.lower()
            r = measure(es, args.es_pid, name, variants[v](copy.deepcopy(base)), bodies, docs)
            results[v].append(r)
            print("  run %d %-26s %7.1f B/packet  %6.1f us/doc  %7.0f docs/s  merge %5.1f us/doc%s" % (
                run + 1, v, r["bytes"], r["es_us"], r["rate"], r["merge_us"],
                "  %d REFUSED" % r["errors"] if r["errors"] else ""), flush=True)
            if args.disk_usage and v == "today" and run == 0:
                store, sums = disk_usage_by_class(es, name, variants[v](copy.deepcopy(base)))
                print_disk_usage(store, sums, docs)
            if run == args.repeat - 1:
                es.call("DELETE", "/" + name)
                es.call("DELETE", "/_index_template/" + name)
    print("\n%-26s %-22s %-22s %-24s %s" % ("variant", "bytes/packet", "ES us/doc", "docs/s", "merge us/doc"))
    for v in chosen:
        rs = results[v]
        print("%-26s %-22s %-22s %-24s %s" % (v, spread([r["bytes"] for r in rs]), spread([r["es_us"] for r in rs]),
                                             spread([r["rate"] for r in rs]), spread([r["merge_us"] for r in rs])))


def print_disk_usage(store, sums, docs):
    print("\n  _disk_usage of 'today' (%.1f B/packet in all), bytes per packet by field class:" % (store / docs))
    print("  %-20s %6s %9s %8s %10s %8s %7s %8s" % ("class", "fields", "inverted", "points", "doc_values", "stored",
                                                     "norms", "total"))
    for cls, s in sorted(sums.items(), key=lambda kv: -kv[1]["total"]):
        print("  %-20s %6d %9.1f %8.1f %10.1f %8.1f %7.1f %8.1f" % (
            cls, s["fields"], s["inverted_index"] / docs, s["points"] / docs, s["doc_values"] / docs,
            s["stored"] / docs, s["norms"] / docs, s["total"] / docs))
    print(flush=True)


if __name__ == "__main__":
    main()
