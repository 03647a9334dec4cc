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
            client.index(i -> i.index(INDEX).id(id).document(BinaryData.of(json, ContentType.APPLICATION_JSON)));
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
    public List<byte[]> newest(int max) {
        try {
            ensureIndex();
            SearchResponse<BinaryData> r = client.search(s -> s.index(INDEX).size(max)
                    .sort(o -> o.field(f -> f.field("createdAt").order(SortOrder.Desc))), BinaryData.class);
            List<byte[]> out = new ArrayList<>();
            for (Hit<BinaryData> h : r.hits().hits()) {
                if (h.source() != null) {
                    out.add(h.source().asInputStream().readAllBytes());
                }
            }
            return out;
        } catch (IOException e) {
            throw new ElasticsearchUnavailableException("Elasticsearch could not be reached to list jobs", e);
        }
    }

    @Override
    public void delete(String id) {
        try {
            ensureIndex();
            client.delete(d -> d.index(INDEX).id(id));
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
