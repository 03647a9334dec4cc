package dev.sharkfin.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hard-killed Sharkfin leaves its Elasticsearch running, holding the port and the data dir: the next start reads
 * the PID file and stops it, and only it. Stand-ins: a live process whose command line looks like the node's (an
 * Elasticsearch class name and the data dir), a live process that is not ours (a reused pid), a dead pid.
 */
class LeftoverNodeTest {
    /** The owner: a Sharkfin that was hard-killed (no such pid). */
    private static final String GONE = "2147483000";

    @TempDir
    Path work;
    private Process dummy;

    @AfterEach
    void stopDummy() {
        if (dummy != null) {
            dummy.destroyForcibly();
        }
    }

    /** {@code sh -c 'sleep 600; :' <args...>}: the arguments stay in its command line ({@code /proc/<pid>/cmdline}). */
    private Process start(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", "-c", "sleep 600; :"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        assertThat(p.isAlive()).isTrue();
        return p;
    }

    @Test
    void aNodeOfOursLeftRunningIsStoppedAndThePidFileRemoved() throws Exception {
        dummy = start("org.elasticsearch.bootstrap.Elasticsearch", "-Des.path.conf=" + work.resolve("config"));
        Files.write(work.resolve(LeftoverNode.FILE), List.of(GONE, Long.toString(dummy.pid())));

        assertThat(LeftoverNode.stop(work)).containsExactly(dummy.pid());

        assertThat(dummy.waitFor(5, TimeUnit.SECONDS)).as("the leftover node was stopped").isTrue();
        assertThat(work.resolve(LeftoverNode.FILE)).doesNotExist();
    }

    @Test
    void aPidReusedByAnotherProcessIsLeftAlone() throws Exception {
        dummy = start("org.elasticsearch.bootstrap.Elasticsearch", "-Des.path.conf=/somewhere/else/config");
        Files.write(work.resolve(LeftoverNode.FILE), List.of(GONE, Long.toString(dummy.pid())));

        assertThat(LeftoverNode.stop(work)).isEmpty();

        assertThat(dummy.isAlive()).as("not an Elasticsearch on this data dir: not ours to stop").isTrue();
        assertThat(work.resolve(LeftoverNode.FILE)).doesNotExist();
    }

    @Test
    void aDeadPidOrNoFileIsNothingToDo() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.write(work.resolve(LeftoverNode.FILE), List.of(GONE, Long.toString(gone.pid()), "not a pid"));

        assertThat(LeftoverNode.stop(work)).isEmpty();
        assertThat(work.resolve(LeftoverNode.FILE)).doesNotExist();
        assertThat(LeftoverNode.stop(work)).as("no file").isEmpty();
    }

    @Test
    void theNodeOfAnotherSharkfinStillRunningIsNotTouched() throws Exception {
        Process owner = start("java", "-jar", "sharkfin.jar");
        try {
            dummy = start("org.elasticsearch.bootstrap.Elasticsearch", "-Des.path.conf=" + work.resolve("config"));
            Files.write(work.resolve(LeftoverNode.FILE), List.of(Long.toString(owner.pid()),
                    Long.toString(dummy.pid())));

            assertThatThrownBy(() -> LeftoverNode.stop(work)).isInstanceOf(EmbeddedElasticsearchException.class)
                    .hasMessageContaining("another Sharkfin still running (pid " + owner.pid() + ")")
                    .hasMessageContaining("sharkfin.elasticsearch.embedded.data-dir");
            assertThat(dummy.isAlive()).isTrue();
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void recordWritesThisJvmTheLauncherThenTheNode() throws Exception {
        dummy = start("x");
        LeftoverNode.record(work, ProcessHandle.current(), dummy.toHandle());
        assertThat(Files.readAllLines(work.resolve(LeftoverNode.FILE))).containsExactly(
                Long.toString(ProcessHandle.current().pid()), Long.toString(ProcessHandle.current().pid()),
                Long.toString(dummy.pid()));
        LeftoverNode.forget(work);
        assertThat(work.resolve(LeftoverNode.FILE)).doesNotExist();
    }
}
