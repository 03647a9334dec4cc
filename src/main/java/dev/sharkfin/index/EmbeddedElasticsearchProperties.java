package dev.sharkfin.index;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The Elasticsearch that Sharkfin starts itself when no {@code spring.elasticsearch.uris} is configured.
 *
 * @param enabled        start one when no URL is configured (false: use Spring's default localhost:9200)
 * @param port           HTTP port; 0 picks a free one (the tests do)
 * @param home           the unpacked distribution; empty: the one the build unpacked under {@code target/elasticsearch}
 * @param dataDir        where its data, logs and config live ({@code ./data/elasticsearch})
 * @param runAs          the unprivileged user to run it as when Sharkfin runs as root (Elasticsearch refuses root);
 *                       empty: {@code nobody}, placed where it can reach the distribution and data ({@link RootIdentity})
 * @param javaHome       a Java 21+ for Elasticsearch; empty: {@code JAVA_HOME}, then the JVM running Sharkfin
 * @param heap           Elasticsearch's heap (-Xms and -Xmx); without it Elasticsearch takes half the RAM
 * @param startupTimeout how long to wait for it to answer healthy
 * @param maxRestarts    how many times it is started again after it dies, within {@code restartWindow}; then it stays down
 * @param restartWindow  the window {@code maxRestarts} counts in
 */
@ConfigurationProperties("sharkfin.elasticsearch.embedded")
public record EmbeddedElasticsearchProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("9200") int port,
        Path home,
        @DefaultValue("data/elasticsearch") Path dataDir,
        String runAs,
        Path javaHome,
        @DefaultValue("512MB") DataSize heap,
        @DefaultValue("180s") Duration startupTimeout,
        @DefaultValue("5") int maxRestarts,
        @DefaultValue("10m") Duration restartWindow) {
}
