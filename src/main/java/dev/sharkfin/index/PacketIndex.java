package dev.sharkfin.index;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import org.springframework.stereotype.Component;

/**
 * Per-upload packet indices: the template, creation, the bulk sink, refresh. The only door to the
 * Elasticsearch client for packets.
 */
@Component
public class PacketIndex {
    static final String TEMPLATE_NAME = "sharkfin-packets";

    private final ElasticsearchClient client;
    private final IndexProperties props;
    private volatile boolean templateInstalled;

    public PacketIndex(ElasticsearchClient client, IndexProperties props) {
        this.client = client;
        this.props = props;
    }

    public String indexName(String jobId) {
        return props.prefix() + jobId;
    }

    /**
     * Installs the template (once per process; idempotent) and creates the job's index from it, with the
     * explicit mapping of every catalog field ({@link PacketTemplate}).
     */
    public String create(String jobId) {
        return create(jobId, null);
    }

    /**
     * As {@link #create(String)}, with the template's refresh interval replaced: a live capture's packets must be
     * searchable within seconds while it runs, where an upload is refreshed once at its end.
     */
    public String create(String jobId, java.time.Duration refreshInterval) {
        String name = indexName(jobId);
        try {
            installTemplate();
            if (refreshInterval == null) {
                client.indices().create(c -> c.index(name));
            } else {
                String every = Math.max(100, refreshInterval.toMillis()) + "ms";
                client.indices().create(c -> c.index(name).settings(s -> s.refreshInterval(t -> t.time(every))));
            }
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch could not be reached to create " + name + ": " + e.getMessage(), e);
        } catch (ElasticsearchException e) {
            throw new IllegalStateException("Elasticsearch refused to create " + name + ": " + e.getMessage() + causes(e), e);
        }
    }

    /** Elasticsearch's reasons below its summary ("template after composition is invalid" says little alone). */
    private static String causes(ElasticsearchException e) {
        StringBuilder sb = new StringBuilder();
        for (var c = e.error() == null ? null : e.error().causedBy(); c != null; c = c.causedBy()) {
            sb.append("; caused by: ").append(c.reason());
        }
        return sb.toString();
    }

    void installTemplate() throws IOException {
        if (templateInstalled) {
            return;
        }
        String json = PacketTemplate.json();
        client.indices().putIndexTemplate(t -> t.name(TEMPLATE_NAME).withJson(new StringReader(json)));
        templateInstalled = true;
    }

    /**
     * Creates the job's index for its pipeline, or finds it there: a resumed job's index exists already, and a create
     * whose answer was lost may have worked. Waits out an Elasticsearch that stalls or restarts, as the bulk requests
     * do, for {@code retry-for}; then throws {@link ElasticsearchUnavailableException} with
     * {@link RetryPolicy#unavailable}'s words.
     */
    public String prepare(String jobId) {
        String name = indexName(jobId);
        retrying("create " + name, () -> {
            installTemplate();
            try {
                client.indices().create(c -> c.index(name));
            } catch (ElasticsearchException e) {
                if (e.error() == null || !"resource_already_exists_exception".equals(e.error().type())) {
                    throw e;
                }
            }
            return null;
        });
        return name;
    }

    public PacketSink sink(String index, String jobId) {
        return new PacketSink(client, props, index, jobId);
    }

    /** Makes everything indexed so far searchable; waits out an Elasticsearch that stalls or restarts, as {@link #prepare} does. */
    public void refresh(String index) {
        retrying("refresh " + index, () -> client.indices().refresh(r -> r.index(index)));
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T retrying(String what, Call<T> call) {
        RetryPolicy retry = props.retryPolicy();
        long start = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            try {
                return call.run();
            } catch (IOException | RuntimeException e) {
                if (!RetryPolicy.transientFailure(e)) {
                    if (e instanceof IOException io) {
                        throw new UncheckedIOException("Elasticsearch could not " + what + ": " + e.getMessage(), io);
                    }
                    if (e instanceof ElasticsearchException) {
                        throw new IllegalStateException("Elasticsearch refused to " + what + ": " + e.getMessage(), e);
                    }
                    throw (RuntimeException) e;
                }
                var pause = retry.pause(attempt, java.time.Duration.ofNanos(System.nanoTime() - start));
                if (pause.isEmpty()) {
                    throw new ElasticsearchUnavailableException(retry.unavailable("could not " + what + ": "
                            + RetryPolicy.describe(e)), e instanceof IOException io ? io : new IOException(e.getMessage(), e));
                }
                try {
                    Thread.sleep(pause.get());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ElasticsearchUnavailableException("Interrupted while waiting to " + what, new IOException(ie));
                }
            }
        }
    }

    /** Deletes a job's index; an index that is already gone is no error. */
    public void delete(String index) {
        try {
            client.indices().delete(d -> d.index(index).ignoreUnavailable(true));
        } catch (IOException e) {
            throw new ElasticsearchUnavailableException("Elasticsearch could not be reached to delete " + index, e);
        }
    }

    public long count(String index) {
        try {
            return client.count(c -> c.index(index)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
