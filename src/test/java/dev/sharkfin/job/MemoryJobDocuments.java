package dev.sharkfin.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sharkfin.index.JobDocuments;

/** The job store's contract in memory, for the job service's unit tests (the real one is tested end to end). */
final class MemoryJobDocuments implements JobDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, byte[]> docs = new ConcurrentHashMap<>();
    private final Map<String, Long> versions = new ConcurrentHashMap<>();

    @Override
    public synchronized void save(String id, byte[] json) {
        byte[] old = docs.get(id);
        if (old == null) {
            docs.put(id, json);
            return;
        }
        ObjectNode merged = tree(old);
        merged.setAll(tree(json)); // the store's contract: fields the update does not carry stay
        docs.put(id, merged.toString().getBytes(StandardCharsets.UTF_8));
        versions.merge(id, 1L, Long::sum);
    }

    @Override
    public Optional<byte[]> get(String id) {
        return Optional.ofNullable(docs.get(id));
    }

    @Override
    public Page page(int from, int size, List<String> states, boolean oldestFirst) {
        Comparator<byte[]> byAge = Comparator.comparing((byte[] d) -> tree(d).path("createdAt").asText());
        List<byte[]> matching = docs.values().stream()
                .filter(d -> states.isEmpty() || states.contains(tree(d).path("state").asText()))
                .sorted(oldestFirst ? byAge : byAge.reversed()).toList();
        return new Page(matching.stream().skip(from).limit(size).toList(), matching.size());
    }

    @Override
    public void delete(String id) {
        docs.remove(id);
    }

    @Override
    public synchronized void requestCancel(String id) {
        ObjectNode doc = tree(docs.get(id));
        doc.put("cancelRequested", true);
        save(id, doc.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void requestStop(String id) {
        ObjectNode doc = tree(docs.get(id));
        doc.put("stopRequested", true);
        save(id, doc.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<Versioned> unfinished(int max) {
        return docs.entrySet().stream()
                .filter(e -> List.of("queued", "running").contains(tree(e.getValue()).path("state").asText()))
                .limit(max).map(e -> new Versioned(e.getValue(), versions.getOrDefault(e.getKey(), 0L), 1)).toList();
    }

    @Override
    public synchronized boolean replaceIf(String id, byte[] json, long seqNo, long primaryTerm) {
        if (versions.getOrDefault(id, 0L) != seqNo || primaryTerm != 1) {
            return false;
        }
        save(id, json);
        return true;
    }

    String json(String id) {
        return new String(docs.get(id), StandardCharsets.UTF_8);
    }

    private static ObjectNode tree(byte[] d) {
        try {
            return (ObjectNode) JSON.readTree(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
