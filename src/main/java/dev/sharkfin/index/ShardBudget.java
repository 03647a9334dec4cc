package dev.sharkfin.index;

import java.io.IOException;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import co.elastic.clients.json.JsonData;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Every job takes a shard, and Elasticsearch refuses new indices past {@code cluster.max_shards_per_node} per data
 * node (1000 by default): without a check, about the thousandth upload fails for everyone. This looks at the
 * cluster before a job is accepted and refuses it (507) while fewer than {@code reserve} shards are left, so the
 * job records and other users of the cluster keep room.
 */
@Component
@EnableConfigurationProperties(ShardBudget.Properties.class)
public class ShardBudget {
    /**
     * @param reserve shards kept free: a new job is refused when fewer would be left
     */
    @ConfigurationProperties("sharkfin.index.shards")
    public record Properties(@DefaultValue("10") int reserve) {
    }

    /** No room for the shard of one more job. */
    public static final class Exhausted extends RuntimeException {
        Exhausted(String message) {
            super(message);
        }
    }

    private final ElasticsearchClient client;
    private final Properties props;

    public ShardBudget(ElasticsearchClient client, Properties props) {
        this.client = client;
        this.props = props;
    }

    /** Throws {@link Exhausted} when a new job's index would leave fewer than {@code reserve} shards. */
    public void require() {
        long limit;
        long open;
        try {
            HealthResponse h = client.cluster().health();
            open = h.activeShards() + h.unassignedShards() + h.initializingShards() + h.relocatingShards();
            limit = (long) maxShardsPerNode() * Math.max(1, h.numberOfDataNodes());
        } catch (IOException e) {
            throw new ElasticsearchUnavailableException("Elasticsearch could not be reached to check its shard budget", e);
        }
        if (open + 1 + props.reserve() > limit) {
            throw new Exhausted("Elasticsearch holds " + open + " shards of the " + limit + " it allows "
                    + "(cluster.max_shards_per_node x data nodes), and Sharkfin keeps " + props.reserve()
                    + " free (sharkfin.index.shards.reserve): a new job's index would not fit. Delete old jobs "
                    + "(DELETE /api/jobs/{id}/data, or sharkfin.retention.max-jobs), or raise the cluster's limit.");
        }
    }

    private int maxShardsPerNode() throws IOException {
        var r = client.cluster().getSettings(s -> s.includeDefaults(true).flatSettings(true));
        for (Map<String, JsonData> m : java.util.List.of(r.transient_(), r.persistent(), r.defaults())) {
            JsonData v = m.get("cluster.max_shards_per_node");
            if (v != null) {
                return Integer.parseInt(v.to(String.class));
            }
        }
        return 1000;
    }
}
