package dev.sharkfin.index;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import org.springframework.stereotype.Component;

/** Job records in the {@code sharkfin-jobs} index. */
@Component
class ElasticsearchJobDocuments implements JobDocuments {
    static final String INDEX = "sharkfin-jobs";
    private static final String MAPPING = """
            {"settings": {"index.number_of_shards": 1, "index.number_of_replicas": 0, "index.auto_expand_replicas": "0-1"},
             "mappings": {"dynamic": false, "properties": {
               "id": {"type": "keyword"}, "state": {"type": "keyword"}, "createdAt": {"type": "date_nanos"},
               "updatedAt": {"type": "date_nanos"}, "cancelRequested": {"type": "boolean"}}}}""";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final ElasticsearchClient client;
    private volatile boolean ready;

    ElasticsearchJobDocuments(ElasticsearchClient client) {
        this.client = client;
    }

    private void ensureIndex() throws IOException {
        if (ready) {
            return;
        }
        if (!client.indices().exists(e -> e.index(INDEX)).value()) {
            try {
                client.indices().create(c -> c.index(INDEX).withJson(new ByteArrayInputStream(MAPPING.getBytes())));
            } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
                if (!"resource_already_exists_exception".equals(e.error().type())) {
                    throw e;
                }
            }
        }
        ready = true;
    }

    @Override
    public void save(String id, byte[] json) {
        try {
            ensureIndex();
            Map<?, ?> doc = JSON.readValue(json, Map.class);
            client.update(u -> u.index(INDEX).id(id).doc(doc).docAsUpsert(true).retryOnConflict(3), Map.class);
        } catch (IOException e) {
            throw new ElasticsearchUnavailableException("Elasticsearch could not be reached to save job " + id, e);
        }
    }

    @Override
    public Optional<byte[]> get(String id) {
        try {
            ensureIndex();
            GetResponse<BinaryData> r = client.get(g -> g.index(INDEX).id(id), BinaryData.class);
            return r.found() && r.source() != null ? Optional.of(r.source().asInputStream().readAllBytes()) : Optional.empty();
        } catch (IOException e) {
            throw new ElasticsearchUnavailableException("Elasticsearch could not be reached to read job " + id, e);
        }
    }

    @Override
    public Page page(int from, int size, List<String> states, boolean oldestFirst) {
        try {
            ensureIndex();
            SearchResponse<BinaryData> r = client.search(s -> {
                s.index(INDEX).from(from).size(size).trackTotalHits(t -> t.enabled(true))
                        .sort(o -> o.field(f -> f.field("createdAt").order(oldestFirst ? SortOrder.Asc : SortOrder.Desc)))
                        .sort(o -> o.field(f -> f.field("id").order(oldestFirst ? SortOrder.Asc : SortOrder.Desc)));
                if (!states.isEmpty()) {
                    s.query(q -> q.terms(t -> t.field("state").terms(v -> v.value(states.stream()
                            .map(co.elastic.clients.elasticsearch._types.FieldValue::of).toList()))));
                }
                return s;
            }, BinaryData.class);
            List<byte[]> out = new ArrayList<>();
            for (Hit<BinaryData> h : r.hits().hits()) {
                if (h.source() != null) {
                    out.add(h.source().asInputStream().readAllBytes());
                }
            }
            return new Page(out, r.hits().total() == null ? out.size() : r.hits().total().value());
        } catch (IOException e) {
            throw new ElasticsearchUnavailableException("Elasticsearch could not be reached to list jobs", e);
        }
    }

    @Override
    public void delete(String id) {
        try {
            ensureIndex();
            // Visible to the next search at once: retention lists again right after deleting.
            client.delete(d -> d.index(INDEX).id(id).refresh(co.elastic.clients.elasticsearch._types.Refresh.True));
        } catch (IOException e) {
            throw new ElasticsearchUnavailableException("Elasticsearch could not be reached to delete job " + id, e);
        }
    }

    @Override
    public void requestCancel(String id) {
        try {
            ensureIndex();
            client.update(u -> u.index(INDEX).id(id).doc(Map.of("cancelRequested", true)), Map.class);
        } catch (IOException e) {
            throw new ElasticsearchUnavailableException("Elasticsearch could not be reached to cancel job " + id, e);
        }
    }

    @Override
    public List<Versioned> unfinished(int max) {
        try {
            ensureIndex();
            SearchResponse<BinaryData> r = client.search(s -> s.index(INDEX).size(max).seqNoPrimaryTerm(true)
                    .query(q -> q.terms(t -> t.field("state").terms(v -> v.value(List.of(
                            co.elastic.clients.elasticsearch._types.FieldValue.of("queued"),
                            co.elastic.clients.elasticsearch._types.FieldValue.of("running")))))), BinaryData.class);
            List<Versioned> out = new ArrayList<>();
            for (Hit<BinaryData> h : r.hits().hits()) {
                if (h.source() != null && h.seqNo() != null && h.primaryTerm() != null) {
                    out.add(new Versioned(h.source().asInputStream().readAllBytes(), h.seqNo(), h.primaryTerm()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new ElasticsearchUnavailableException("Elasticsearch could not be reached to list unfinished jobs", e);
        }
    }

    @Override
    public boolean replaceIf(String id, byte[] json, long seqNo, long primaryTerm) {
        try {
            ensureIndex();
            client.index(i -> i.index(INDEX).id(id).ifSeqNo(seqNo).ifPrimaryTerm(primaryTerm)
                    .document(BinaryData.of(json, ContentType.APPLICATION_JSON)));
            return true;
        } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
            if (e.status() == 409) {
                return false;
            }
            throw e;
        } catch (IOException e) {
            throw new ElasticsearchUnavailableException("Elasticsearch could not be reached to claim job " + id, e);
        }
    }

    @Override
    public void requestStop(String id) {
        try {
            ensureIndex();
            client.update(u -> u.index(INDEX).id(id).doc(Map.of("stopRequested", true)), Map.class);
        } catch (IOException e) {
            throw new ElasticsearchUnavailableException("Elasticsearch could not be reached to stop job " + id, e);
        }
    }
}
