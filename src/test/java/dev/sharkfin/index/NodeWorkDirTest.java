package dev.sharkfin.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The work folder and its config copy, the console log's tail and finding the distribution, on temporary folders. */
class NodeWorkDirTest {
    @TempDir
    Path dir;

    private Path distribution() throws Exception {
        Path home = dir.resolve("es");
        Files.createDirectories(home.resolve("config/jvm.options.d"));
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("config/elasticsearch.yml"), "defaults\n");
        Files.writeString(home.resolve("config/jvm.options"), "-Xss1m\n");
        Files.writeString(home.resolve("config/jvm.options.d/gc.options"), "-XX:+UseG1GC\n");
        Path launcher = Files.writeString(home.resolve("bin/elasticsearch"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    @Test
    void copiesTheConfigKeepingWhatTheNodeChangedButJvmOptions() throws Exception {
        Path home = distribution();
        Path work = dir.resolve("work");
        NodeWorkDir.prepare(work, home, true);
        for (String d : new String[] {"data", "logs", "tmp", "config"}) {
            assertThat(work.resolve(d)).isDirectory();
        }
        assertThat(work.resolve("config/jvm.options.d/gc.options")).hasContent("-XX:+UseG1GC");
        Files.writeString(work.resolve("config/elasticsearch.yml"), "changed by the node\n");
        Files.writeString(work.resolve("config/jvm.options"), "stale\n");
        NodeWorkDir.prepare(work, home, false);
        assertThat(work.resolve("config/elasticsearch.yml")).hasContent("changed by the node");
        assertThat(work.resolve("config/jvm.options")).hasContent("-Xss1m");
        assertThat(home.resolve("config/elasticsearch.yml")).as("the distribution is never written").hasContent("defaults");
    }

    @Test
    void aFirstStartEmptiesTheConsoleLogARestartAppends() throws Exception {
        Path home = distribution();
        Path work = dir.resolve("work");
        NodeWorkDir.prepare(work, home, true);
        ConsoleLog console = ConsoleLog.in(work);
        Files.writeString(console.path(), "before\n");
        NodeWorkDir.prepare(work, home, false);
        assertThat(console.path()).hasContent("before");
        NodeWorkDir.prepare(work, home, true);
        assertThat(console.path()).doesNotExist();
    }

    @Test
    void theTailIsTheLastThirtyLinesOrWhyThereAreNone() throws Exception {
        ConsoleLog console = ConsoleLog.in(dir);
        assertThat(console.tail()).startsWith("(no output: ");
        Files.createDirectories(console.path().getParent());
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= 45; i++) {
            out.append("line ").append(i).append('\n');
        }
        Files.writeString(console.path(), out);
        String tail = console.tail();
        assertThat(tail.lines()).hasSize(ConsoleLog.TAIL_LINES).first().isEqualTo("line 16");
        assertThat(tail).endsWith("line 45");
        Files.writeString(console.path(), "only\n");
        assertThat(console.tail()).isEqualTo("only");
    }

    @Test
    void findsTheConfiguredDistributionOrTheOneTheBuildUnpacked() throws Exception {
        Path home = distribution();
        assertThat(NodeDistribution.find(home, dir.resolve("none"))).isEqualTo(home);
        assertThat(NodeDistribution.find(null, dir)).isEqualTo(home);
        assertThatThrownBy(() -> NodeDistribution.find(dir.resolve("work"), dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sharkfin.elasticsearch.embedded.home=");
        assertThatThrownBy(() -> NodeDistribution.find(null, dir.resolve("none"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No Elasticsearch distribution under");
    }

    @Test
    void theFolderToOpenIsTheTopmostClosedOne() throws Exception {
        Path c = Files.createDirectories(dir.resolve("a/b/c"));
        Files.setPosixFilePermissions(dir.resolve("a"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(dir.resolve("a/b"), PosixFilePermissions.fromString("rwx--x---"));
        Files.setPosixFilePermissions(c, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path closed = PrivilegeDrop.firstClosedAncestor(c);
        assertThat(dir.resolve("a").startsWith(closed)).as(closed + " is a/ or above it").isTrue();
        assertThat(Files.getPosixFilePermissions(closed)).doesNotContain(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(dir.resolve("a"), PosixFilePermissions.fromString("rwx-----x"));
        Files.setPosixFilePermissions(dir.resolve("a/b"), PosixFilePermissions.fromString("rwx-----x"));
        Path open = PrivilegeDrop.firstClosedAncestor(c);
        assertThat(open).as("with a/ and a/b/ open, nothing below the temporary folder is named")
                .matches(p -> dir.startsWith(p) || p.equals(c));
    }
}
