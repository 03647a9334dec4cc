package dev.sharkfin.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The node's command line and environment, built without starting anything. */
class NodeCommandTest {
    private static final Path HOME = Path.of("/opt/es");
    private static final Path WORK = Path.of("/var/sharkfin/es");

    @Test
    void runsTheDistributionsLauncherWithTheSettingsSharkfinNeeds() {
        List<String> cmd = new NodeCommand(List.of(), HOME, WORK, Path.of("/jdk"), 9201, 9301, 512).arguments();
        assertThat(cmd.get(0)).isEqualTo("/opt/es/bin/elasticsearch");
        assertThat(cmd.size() % 2).as("the launcher, then -E pairs").isEqualTo(1);
        for (int i = 1; i < cmd.size(); i += 2) {
            assertThat(cmd.get(i)).isEqualTo("-E");
        }
        assertThat(cmd).contains("http.port=9201", "transport.port=9301", "network.host=127.0.0.1",
                "discovery.type=single-node", "xpack.security.enabled=false",
                "path.data=/var/sharkfin/es/data", "path.logs=/var/sharkfin/es/logs");
    }

    @Test
    void aPrivilegeDropPrefixesTheCommand() {
        List<String> prefix = List.of("setpriv", "--reuid=65534", "--regid=65534", "--init-groups");
        List<String> cmd = new NodeCommand(prefix, HOME, WORK, Path.of("/jdk"), 9201, 9301, 512).arguments();
        assertThat(cmd.subList(0, 5)).containsExactly("setpriv", "--reuid=65534", "--regid=65534", "--init-groups",
                "/opt/es/bin/elasticsearch");
    }

    @Test
    void javaConfigTmpAndHeapGoThroughTheEnvironment() {
        Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", "/other", "PATH", "/bin"));
        new NodeCommand(List.of(), HOME, WORK, Path.of("/jdk"), 9201, 9301, 1024).environment(env);
        assertThat(env).containsEntry("ES_JAVA_HOME", "/jdk").doesNotContainKey("JAVA_HOME").containsEntry("PATH", "/bin")
                .containsEntry("ES_PATH_CONF", "/var/sharkfin/es/config").containsEntry("ES_TMPDIR", "/var/sharkfin/es/tmp")
                .containsEntry("ES_JAVA_OPTS", "-Xms1024m -Xmx1024m");
    }

    @Test
    void theHeapIsAtLeast128Megabytes() {
        Map<String, String> env = new HashMap<>();
        new NodeCommand(List.of(), HOME, WORK, Path.of("/jdk"), 9201, 9301, 16).environment(env);
        assertThat(env).containsEntry("ES_JAVA_OPTS", "-Xms128m -Xmx128m");
    }

    @Test
    void theProcessRunsInLogsAndAppendsToTheConsoleLog() {
        ProcessBuilder pb = new NodeCommand(List.of(), HOME, WORK, Path.of("/jdk"), 9201, 9301, 512).processBuilder();
        assertThat(pb.directory().toPath()).isEqualTo(WORK.resolve("logs"));
        assertThat(pb.redirectErrorStream()).isTrue();
        assertThat(pb.redirectOutput().type()).isEqualTo(ProcessBuilder.Redirect.Type.APPEND);
        assertThat(pb.redirectOutput().file().toPath()).isEqualTo(WORK.resolve("logs/console.log"));
        assertThat(pb.environment()).containsEntry("ES_JAVA_HOME", "/jdk");
    }
}
