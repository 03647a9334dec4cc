package dev.sharkfin.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Uploads many captures through the API, keeps at most a few jobs in flight, and hands back each upload's
 * answer and final job. Each job's index is deleted once the caller has looked at it, so that hundreds of
 * uploads do not fill the test node with shards.
 */
final class CorpusUploads {
    record Result(Path file, int status, JsonNode body, JsonNode job) {
    }

    interface Check {
        void check(Result r);
    }

    static Map<Path, Result> run(Api api, List<Path> files, int inFlight, Duration perJob, Check check) {
        Map<Path, Result> results = new LinkedHashMap<>();
        List<Result> pending = new ArrayList<>();
        for (Path f : files) {
            Api.Response r = api.upload(f);
            pending.add(new Result(f, r.status(), r.body(), null));
            if (pending.size() >= inFlight) {
                finish(api, pending.remove(0), perJob, check, results);
            }
        }
        while (!pending.isEmpty()) {
            finish(api, pending.remove(0), perJob, check, results);
        }
        return results;
    }

    private static void finish(Api api, Result r, Duration perJob, Check check, Map<Path, Result> results) {
        Result done = r;
        if (r.status() == 202) {
            JsonNode job = api.awaitJob(r.body().get("id").asText(), perJob);
            done = new Result(r.file(), r.status(), r.body(), job);
        }
        check.check(done);
        if (done.job() != null) {
            api.es("DELETE", "/" + done.job().get("index").asText() + "?ignore_unavailable=true", null);
        }
        results.put(done.file(), done);
    }

    private CorpusUploads() {
    }
}
