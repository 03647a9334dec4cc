#!/usr/bin/env python3
"""What users get, against one running Sharkfin and its Elasticsearch (see scripts/bench.sh):

(a) Sharkfin end to end: upload -> job succeeded (refreshed, searchable), packets/s, with the CPU microseconds per
    packet of the Sharkfin process and of Elasticsearch's (from /proc/<pid>/stat before and after);
(b) the ceiling: the job's documents exported and re-sent, pre-serialized, by two bare keep-alive bulk senders, same
    ids, into a fresh index made from the same template (packets-*), then refreshed;
(c) the tshark route: `tshark -T ek` made acceptable to Elasticsearch 9 (action lines without _type, duplicate keys
    merged into arrays) and bulk-sent by two senders while tshark runs, into a fresh index, then refreshed.

Prints the three rates and the ratios. CPU per packet is the robust figure on a shared machine; rates move with
whatever else runs.
"""
import http.client
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.parse

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU of a process and its reaped children, in seconds."""
    if not pid:
        return float("nan")
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # after the command: state is fields[0]; utime, stime, cutime, cstime are stat fields 14-17
    return sum(int(x) for x in fields[11:15]) / TICK


def listening_pid(port):
    out = subprocess.run(["ss", "-ltnpH", "sport = :%d" % port], capture_output=True, text=True).stdout
    m = re.search(r"pid=(\d+)", out)
    return int(m.group(1)) if m else None


class Http:
    """One keep-alive connection."""

    def __init__(self, base, headers=None):
        u = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
        self.headers = headers or {}

    def call(self, method, path, body=None, ctype="application/json"):
        h = dict(self.headers)
        if body is not None:
            h["Content-Type"] = ctype
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        if r.status >= 300:
            raise RuntimeError("%s %s: HTTP %d %s" % (method, path, r.status, data[:300]))
        return json.loads(data) if data else None


def upload(base, capture, headers):
    """POST /api/captures through curl (multipart streaming of a large file), returns the job id."""
    cmd = ["curl", "-sf", "-F", "file=@" + capture, base + "/api/captures"]
    for k, v in headers.items():
        cmd[1:1] = ["-H", "%s: %s" % (k, v)]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True).stdout)["id"]


def sharkfin_end_to_end(args, sf_pid, es_pid):
    api = Http(args.base, args.headers)
    before = cpu_seconds(sf_pid), cpu_seconds(es_pid)
    t0 = time.time()
    job_id = upload(args.base, args.capture, args.headers)
    while True:
        job = api.call("GET", "/api/jobs/" + job_id)
        if job["state"] in ("succeeded", "failed", "cancelled"):
            break
        time.sleep(0.2)
    wall = time.time() - t0
    after = cpu_seconds(sf_pid), cpu_seconds(es_pid)
    if job["state"] != "succeeded":
        sys.exit("job %s %s: %s" % (job_id, job["state"], job.get("error")))
    n = job["packetsIndexed"]
    return {"job": job, "packets": n, "wall": wall, "rate": n / wall,
            "sf_us": (after[0] - before[0]) * 1e6 / n, "es_us": (after[1] - before[1]) * 1e6 / n}


def export_bodies(es, index, per_request):
    """The job's documents as pre-serialized bulk bodies (action line with the same _id, then the source)."""
    pit = es.call("POST", "/%s/_pit?keep_alive=5m" % index)["id"]
    bodies, lines, after = [], [], None
    while True:
        q = {"size": 5000, "pit": {"id": pit, "keep_alive": "5m"}, "sort": ["_shard_doc"]}
        if after:
            q["search_after"] = after
        hits = es.call("POST", "/_search", json.dumps(q))["hits"]["hits"]
        if not hits:
            break
        for h in hits:
            lines.append(b'{"index":{"_id":"%s"}}\n' % h["_id"].encode())
            lines.append(json.dumps(h["_source"], separators=(",", ":")).encode() + b"\n")
            if len(lines) == 2 * per_request:
                bodies.append(b"".join(lines))
                lines = []
        after = hits[-1]["sort"]
    if lines:
        bodies.append(b"".join(lines))
    es.call("DELETE", "/_pit", json.dumps({"id": pit}))
    return bodies


def send_all(es_base, index, bodies, senders=2):
    """Bulk-sends the bodies from `senders` keep-alive connections; returns (documents, errors)."""
    work = queue.Queue()
    for b in bodies:
        work.put(b)
    counts = [0, 0]
    lock = threading.Lock()

    def sender():
        c = Http(es_base)
        while True:
            try:
                b = work.get_nowait()
            except queue.Empty:
                return
            r = c.call("POST", "/%s/_bulk?filter_path=errors,items.*.error" % index, b, "application/x-ndjson")
            bad = sum(1 for it in r.get("items", []) if "error" in next(iter(it.values())))
            with lock:
                counts[0] += b.count(b"\n") // 2
                counts[1] += bad

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts


def ceiling(args, es, es_pid, job_index):
    bodies = export_bodies(es, job_index, args.bulk)
    index = "packets-bench-ceiling-%d" % int(time.time())
    es.call("PUT", "/" + index)
    before = cpu_seconds(es_pid)
    t0 = time.time()
    docs, errors = send_all(args.es, index, bodies)
    es.call("POST", "/%s/_refresh" % index)
    wall = time.time() - t0
    used = cpu_seconds(es_pid) - before
    es.call("DELETE", "/" + index)
    return {"docs": docs, "errors": errors, "wall": wall, "rate": docs / wall, "es_us": used * 1e6 / docs}


def merge_duplicates(pairs):
    """json object_pairs_hook: a key that occurs twice becomes an array (tshark -T ek writes duplicates)."""
    d = {}
    for k, v in pairs:
        if k in d:
            if isinstance(d[k], list):
                d[k].append(v)
            else:
                d[k] = [d[k], v]
        else:
            d[k] = v
    return d


def tshark_route(args, es, es_pid):
    index = "tshark-bench-%d" % int(time.time())
    es.call("PUT", "/" + index, json.dumps({"settings": {
        "index.mapping.total_fields.limit": 100000, "index.mapping.ignore_malformed": True,
        "number_of_replicas": 0, "refresh_interval": "-1"}}))
    work = queue.Queue(maxsize=4)
    counts = [0, 0]
    lock = threading.Lock()

    def sender():
        c = Http(args.es)
        while True:
            b = work.get()
            if b is None:
                return
            r = c.call("POST", "/%s/_bulk?filter_path=errors,items.*.error" % index, b, "application/x-ndjson")
            bad = sum(1 for it in r.get("items", []) if "error" in next(iter(it.values())))
            with lock:
                counts[0] += b.count(b"\n") // 2
                counts[1] += bad

    before = cpu_seconds(es_pid)
    t0 = time.time()
    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    p = subprocess.Popen(["tshark", "-r", args.capture, "-T", "ek", "-n"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    lines = []
    tshark_cpu = 0.0
    for line in p.stdout:
        if line.startswith(b'{"index"'):
            continue  # its action line names a _type; ES 9 takes {"index":{}} with the index in the URL
        doc = json.loads(line, object_pairs_hook=merge_duplicates)
        lines.append(b'{"index":{}}\n')
        lines.append(json.dumps(doc, separators=(",", ":")).encode() + b"\n")
        if len(lines) == 2 * args.bulk:
            work.put(b"".join(lines))
            lines = []
    if lines:
        work.put(b"".join(lines))
    for _ in threads:
        work.put(None)
    for t in threads:
        t.join()
    p.wait()
    es.call("POST", "/%s/_refresh" % index)
    wall = time.time() - t0
    used = cpu_seconds(es_pid) - before
    es.call("DELETE", "/" + index)
    return {"docs": counts[0], "errors": counts[1], "wall": wall, "rate": counts[0] / wall,
            "es_us": used * 1e6 / max(1, counts[0])}


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("capture")
    ap.add_argument("--base", default="http://localhost:8080", help="Sharkfin")
    ap.add_argument("--es", default="http://localhost:9200", help="its Elasticsearch")
    ap.add_argument("--sharkfin-pid", type=int, help="default: the process listening on --base's port")
    ap.add_argument("--es-pid", type=int, help="default: the embedded node's (health), else the one listening on --es's port")
    ap.add_argument("--bulk", type=int, default=5000, help="documents per bulk request of the senders (Sharkfin's default)")
    ap.add_argument("--runs", type=int, default=2, help="end-to-end runs; the first warms both JVMs up, the last counts")
    ap.add_argument("--skip", default="", help="comma-separated parts to leave out: ceiling,tshark")
    args = ap.parse_args()
    args.headers = {"X-API-Key": os.environ["SHARKFIN_API_KEY"]} if os.environ.get("SHARKFIN_API_KEY") else {}
    skip = set(filter(None, args.skip.split(",")))

    sf_pid = args.sharkfin_pid or listening_pid(urllib.parse.urlsplit(args.base).port or 80)
    es_pid = args.es_pid
    if not es_pid:
        try:
            health = Http(args.base, args.headers).call("GET", "/actuator/health")
            es_pid = health["components"]["embeddedElasticsearch"]["details"]["pid"]
        except Exception:
            es_pid = listening_pid(urllib.parse.urlsplit(args.es).port or 9200)
    print("capture %s; Sharkfin pid %s, Elasticsearch pid %s; %d cores, load %.1f" % (
        args.capture, sf_pid, es_pid, os.cpu_count(), os.getloadavg()[0]))

    for run in range(1, args.runs + 1):
        a = sharkfin_end_to_end(args, sf_pid, es_pid)
        print("(a) Sharkfin end to end, run %d/%d: %d packets in %.1f s = %.0f packets/s; CPU per packet: Sharkfin %.1f us, "
              "Elasticsearch %.1f us" % (run, args.runs, a["packets"], a["wall"], a["rate"], a["sf_us"], a["es_us"]))
    es = Http(args.es)
    if "ceiling" not in skip:
        c = ceiling(args, es, es_pid, a["job"].get("index") or "packets-" + a["job"]["id"])
        print("(b) ceiling, its documents re-sent by 2 bare bulk senders: %d docs in %.1f s = %.0f docs/s "
              "(%d errors); Elasticsearch %.1f us/doc" % (c["docs"], c["wall"], c["rate"], c["errors"], c["es_us"]))
        print("    Sharkfin / ceiling = %.2f" % (a["rate"] / c["rate"]))
    if "tshark" not in skip:
        t = tshark_route(args, es, es_pid)
        print("(c) tshark -T ek route, 2 senders while tshark runs: %d docs in %.1f s = %.0f packets/s (%d errors); "
              "Elasticsearch %.1f us/doc" % (t["docs"], t["wall"], t["rate"], t["errors"], t["es_us"]))
        print("    Sharkfin / tshark route = %.1f" % (a["rate"] / t["rate"]))


if __name__ == "__main__":
    main()
