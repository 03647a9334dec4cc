package dev.sharkfin.index;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line and environment that start the embedded node: {@code bin/elasticsearch} of the distribution at
 * {@code home} with the single-node, loopback-only, security-off settings Sharkfin needs, its data, logs, config and
 * temporary files under {@code work}, and Java and heap through the environment. Pure: building starts nothing.
 *
 * @param prefix        what runs the command (the {@code setpriv} of a privilege drop), or empty
 * @param home          the distribution
 * @param work          the work folder ({@link NodeWorkDir})
 * @param javaHome      the Java the node runs on ({@link NodeJava})
 * @param httpPort      the HTTP port on 127.0.0.1
 * @param transportPort the transport port on 127.0.0.1
 * @param heapMegabytes the heap, as both {@code -Xms} and {@code -Xmx}; at least 128
 */
record NodeCommand(List<String> prefix, Path home, Path work, Path javaHome, int httpPort, int transportPort,
        long heapMegabytes) {

    /** The command and its arguments. */
    List<String> arguments() {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(home.resolve("bin/elasticsearch").toString());
        for (String setting : List.of(
                "cluster.name=sharkfin",
                "node.name=sharkfin-embedded",
                "discovery.type=single-node",
                "network.host=127.0.0.1",
                "http.port=" + httpPort,
                "transport.port=" + transportPort,
                "path.data=" + work.resolve("data"),
                "path.logs=" + work.resolve("logs"),
                "xpack.security.enabled=false",
                "cluster.routing.allocation.disk.threshold_enabled=false",
                "action.auto_create_index=true")) {
            cmd.add("-E");
            cmd.add(setting);
        }
        return cmd;
    }

    /** Sets the node's variables in {@code env} (a copy of Sharkfin's), and removes the {@code JAVA_HOME} it would prefer. */
    void environment(Map<String, String> env) {
        env.put("ES_JAVA_HOME", javaHome.toString());
        env.remove("JAVA_HOME");
        env.put("ES_PATH_CONF", work.resolve("config").toString());
        env.put("ES_TMPDIR", work.resolve("tmp").toString());
        long heap = Math.max(128, heapMegabytes);
        env.put("ES_JAVA_OPTS", "-Xms" + heap + "m -Xmx" + heap + "m");
    }

    /** A process builder for the command: run in {@code logs}, its output appended to the {@link ConsoleLog}. */
    ProcessBuilder processBuilder() {
        ProcessBuilder pb = new ProcessBuilder(arguments())
                .directory(work.resolve("logs").toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(ConsoleLog.in(work).path().toFile()));
        environment(pb.environment());
        return pb;
    }
}
