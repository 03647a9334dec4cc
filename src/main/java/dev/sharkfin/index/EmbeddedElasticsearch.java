package dev.sharkfin.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Elasticsearch node, run as a child process from the distribution the build unpacked.
 *
 * <p>Contract: {@link #start()} returns only once the node answers cluster health yellow or better,
 * or throws {@link EmbeddedElasticsearchException} with a message that says what to change. {@link #close()}
 * stops the node and its children. Data, logs and the node's own config copy live under
 * {@code dataDir}, so the distribution folder stays read-only and can be shared. As root, the node runs as an
 * unprivileged user ({@link RootIdentity}: the configured {@code run-as}, else {@code nobody}, with the distribution
 * and data moved where it can reach them). A node a hard-killed Sharkfin left running is stopped first
 * ({@link LeftoverNode}).
 *
 * <p>Supervised: when the node dies without Sharkfin asking (a crash, the OOM killer, a SIGKILL), it is logged
 * and started again on the same HTTP port and data folder, at most {@code max-restarts} times within
 * {@code restart-window}; then it stays down and {@link #status()} says why. Jobs wait for it meanwhile: their
 * bulk requests are retried ({@link RetryPolicy}).
 */
public final class EmbeddedElasticsearch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedElasticsearch.class);

    private final EmbeddedElasticsearchProperties props;
    /** The launcher: {@code bin/elasticsearch}'s CLI JVM, whose child is the node. It exits when the node does. */
    private volatile Process process;
    /** The node's own JVM (a child of the launcher): what serves requests, and what a fault test pauses or kills. */
    private volatile ProcessHandle server;
    private volatile boolean closing;
    private int httpPort;
    private Path work;
    private Path home;
    private Path javaHome;
    /** Who the node runs as when Sharkfin runs as root; null otherwise. */
    private RootIdentity identity;
    /** When each restart happened, within the window; guarded by this. */
    private final Deque<Instant> restarts = new ArrayDeque<>();
    private volatile int restartCount;
    private volatile Status status = new Status(State.STOPPED, "not started");
    private final ExecutorService supervisor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sharkfin-elasticsearch-supervisor");
        t.setDaemon(true);
        return t;
    });

    public enum State { STOPPED, STARTING, UP, RESTARTING, DOWN }

    /** Where the supervised node stands, in words, for the health endpoint. */
    public record Status(State state, String detail) {
    }

    public EmbeddedElasticsearch(EmbeddedElasticsearchProperties props) {
        this.props = props;
    }

    /**
     * The process id of the Elasticsearch node (the JVM serving requests, a child of the launcher), or the launcher's
     * while the node is not known yet, or -1 when nothing runs: for fault tests that pause or kill it.
     */
    public long pid() {
        ProcessHandle s = server;
        if (s != null && s.isAlive()) {
            return s.pid();
        }
        Process p = process;
        return p == null || !p.isAlive() ? -1 : p.pid();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public Status status() {
        return status;
    }

    /** How many times the node was started again after it died. */
    public int restartCount() {
        return restartCount;
    }

    public synchronized void start() {
        if (process != null) {
            return;
        }
        try {
            home = resolveHome();
            javaHome = resolveJavaHome();
            work = props.dataDir().toAbsolutePath().normalize();
            if ("root".equals(System.getProperty("user.name"))) {
                String runAs = props.runAs() == null || props.runAs().isBlank() ? null : props.runAs().trim();
                identity = RootIdentity.arrange(runAs, home, work);
                home = identity.home();
                work = identity.work();
                if (identity.note() != null) {
                    log.info(identity.note());
                }
            }
            LeftoverNode.stop(work);
            httpPort = props.port() == 0 ? freePort() : checkFree(props.port());
            status = new Status(State.STARTING, "starting on " + uri());
            launch(false);
        } catch (IOException e) {
            close();
            throw new EmbeddedElasticsearchException("Could not start it: " + e.getMessage(), e);
        } catch (EmbeddedElasticsearchException e) {
            close();
            throw e;
        } catch (RuntimeException e) {
            close();
            throw new EmbeddedElasticsearchException(e.getMessage(), e);
        }
        status = new Status(State.UP, "running on " + uri() + ", pid " + pid());
        watch(process);
    }

    /**
     * Starts the node and waits until it is healthy: the first time, or again after it died, on the same HTTP port and
     * data folder (a restart appends to the console log rather than replacing it).
     */
    private void launch(boolean again) throws IOException {
        int transportPort = freePort();
        prepareWorkDir(home, !again);
        if (identity != null) {
            grantTo(identity, home);
        }
        List<String> cmd = new ArrayList<>();
        if (identity != null) {
            cmd.addAll(identity.setpriv());
        }
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
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(work.resolve("logs").toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("logs/console.log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("ES_JAVA_HOME", javaHome.toString());
        env.remove("JAVA_HOME");
        env.put("ES_PATH_CONF", work.resolve("config").toString());
        env.put("ES_TMPDIR", work.resolve("tmp").toString());
        long heapMb = Math.max(128, props.heap().toMegabytes());
        env.put("ES_JAVA_OPTS", "-Xms" + heapMb + "m -Xmx" + heapMb + "m");
        log.info("{} embedded Elasticsearch on {} (home {}, data {}{})", again ? "Restarting" : "Starting", uri(), home, work,
                identity != null ? ", as user " + identity.user() : "");
        synchronized (this) {
            if (closing) {
                return;
            }
            process = pb.start();
            server = null;
        }
        LeftoverNode.record(work, process.toHandle());
        awaitHealthy();
        server = process.children().findFirst().orElse(null);
        LeftoverNode.record(work, process.toHandle(), server);
        log.info("Embedded Elasticsearch is up on {} (pid {})", uri(), pid());
    }

    /** Supervision: when the launcher exits (it does when the node dies) and Sharkfin did not ask for it, restart. */
    private void watch(Process p) {
        if (p == null) {
            return;
        }
        p.onExit().thenRunAsync(() -> exited(p), supervisor);
    }

    private void exited(Process p) {
        if (closing || p != process) {
            return;
        }
        ProcessHandle node = server;
        String why = "exited with code " + p.exitValue();
        log.error("The embedded Elasticsearch (pid {}) {}; its output ({}) ends with:\n{}", node != null ? node.pid() : p.pid(),
                why, work.resolve("logs/console.log"), tail());
        stopLeftover(node);
        while (!closing) {
            if (!mayRestart()) {
                status = new Status(State.DOWN, "Elasticsearch " + why + " and was restarted " + props.maxRestarts()
                        + " times within " + RetryPolicy.text(props.restartWindow()) + " already "
                        + "(sharkfin.elasticsearch.embedded.max-restarts / restart-window); not restarted again");
                log.error("Embedded Elasticsearch: {}", status.detail());
                return;
            }
            status = new Status(State.RESTARTING, "Elasticsearch " + why + "; restarting on " + uri());
            long t0 = System.nanoTime();
            try {
                launch(true);
                if (closing) {
                    return;
                }
                restartCount++;
                status = new Status(State.UP, "running on " + uri() + ", pid " + pid() + "; restarted " + restartCount
                        + " time" + (restartCount == 1 ? "" : "s") + ", last after it " + why);
                log.info("Embedded Elasticsearch restarted in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                watch(process);
                return;
            } catch (IOException | RuntimeException e) {
                why = "could not be restarted: " + e.getMessage();
                log.error("Embedded Elasticsearch {}", why);
                stopLeftover(process == null ? null : process.toHandle());
            }
        }
    }

    /** Counts a restart in the window, or says the budget is spent. */
    private synchronized boolean mayRestart() {
        Instant now = Instant.now();
        while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(props.restartWindow()))) {
            restarts.removeFirst();
        }
        if (restarts.size() >= props.maxRestarts()) {
            return false;
        }
        restarts.addLast(now);
        return true;
    }

    /** The node may outlive its launcher for a few seconds, holding the port and the data folder's lock. */
    private static void stopLeftover(ProcessHandle node) {
        if (node == null || !node.isAlive()) {
            return;
        }
        node.destroy();
        try {
            node.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            node.destroyForcibly();
        }
    }

    private Path resolveHome() {
        if (props.home() != null) {
            Path home = props.home().toAbsolutePath().normalize();
            if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
                throw new IllegalStateException("sharkfin.elasticsearch.embedded.home=" + home
                        + " is not an Elasticsearch distribution (no bin/elasticsearch).");
            }
            return home;
        }
        Path unpacked = Path.of("target/elasticsearch").toAbsolutePath();
        try (Stream<Path> dirs = Files.isDirectory(unpacked) ? Files.list(unpacked) : Stream.empty()) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("bin/elasticsearch"))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("""
                            No Elasticsearch distribution under %s. Run Sharkfin with './mvnw spring-boot:run' (the \
                            build unpacks it), set sharkfin.elasticsearch.embedded.home to an unpacked distribution, \
                            or set spring.elasticsearch.uris to an Elasticsearch of your own.""".formatted(unpacked)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path resolveJavaHome() {
        List<Path> candidates = new ArrayList<>();
        if (props.javaHome() != null) {
            candidates.add(props.javaHome());
        }
        String env = System.getenv("JAVA_HOME");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        if (Runtime.version().feature() >= 21) {
            candidates.add(Path.of(System.getProperty("java.home")));
        }
        for (Path c : candidates) {
            if (Files.isExecutable(c.resolve("bin/java")) && javaFeature(c) >= 21) {
                return c;
            }
        }
        throw new IllegalStateException("Elasticsearch needs Java 21 or newer; none found in " + candidates
                + ". Set sharkfin.elasticsearch.embedded.java-home or JAVA_HOME to a JDK 21+.");
    }

    private static int javaFeature(Path javaHome) {
        try {
            Path release = javaHome.resolve("release");
            if (Files.exists(release)) {
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                        return Integer.parseInt(v.split("[.\\-+]")[0]);
                    }
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through: unknown
        }
        return javaHome.equals(Path.of(System.getProperty("java.home"))) ? Runtime.version().feature() : 0;
    }

    private void prepareWorkDir(Path home, boolean freshLog) throws IOException {
        for (String d : List.of("data", "logs", "tmp", "config")) {
            Files.createDirectories(work.resolve(d));
        }
        // The node's own config copy: the distribution's defaults, never written to in place.
        try (Stream<Path> files = Files.walk(home.resolve("config"))) {
            for (Path src : (Iterable<Path>) files::iterator) {
                Path dst = work.resolve("config").resolve(home.resolve("config").relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else if (!Files.exists(dst) || src.getFileName().toString().equals("jvm.options")) {
                    Files.copy(src, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (freshLog) {
            Files.deleteIfExists(work.resolve("logs/console.log"));
        }
    }

    /** As root: the node's user owns the work folder and must be able to reach the distribution and the work folder. */
    private void grantTo(RootIdentity id, Path home) throws IOException {
        String user = id.user();
        run(List.of("chown", "-R", id.uid() + ":" + id.gid(), work.toString()),
                "Could not give the folder " + work + " to the user '" + user + "'.");
        for (Path p : List.of(home.resolve("lib"), work.resolve("data"))) {
            if (!id.canEnter(p)) {
                throw new EmbeddedElasticsearchException("The user '" + user + "' cannot enter " + p + ". Every folder above the "
                        + "Elasticsearch distribution and the data folder must be enterable by that user: for example "
                        + "'chmod o+x " + firstClosedAncestor(p) + "' (and the folders above it), or set "
                        + "sharkfin.elasticsearch.embedded.home / data-dir to folders under an enterable path.");
            }
        }
    }

    private static Path firstClosedAncestor(Path p) {
        Path last = p;
        for (Path a = p; a != null; a = a.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(a).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    last = a;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return p;
            }
        }
        return last;
    }

    private static void run(List<String> cmd, String failure) throws IOException {
        if (RootIdentity.exec(cmd) != 0) {
            throw new EmbeddedElasticsearchException(failure);
        }
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI health = URI.create(uri() + "/_cluster/health?wait_for_status=yellow&timeout=2s");
        long deadline = System.nanoTime() + props.startupTimeout().toNanos();
        while (System.nanoTime() < deadline && !closing) {
            Process process = this.process;
            if (!process.isAlive()) {
                throw new EmbeddedElasticsearchException("It exited with code " + process.exitValue()
                        + " while starting. Its output (" + work.resolve("logs/console.log") + ") ends with:\n" + tail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Elasticsearch", e);
            }
            sleep(500);
        }
        throw new EmbeddedElasticsearchException("It did not become healthy within "
                + props.startupTimeout() + " on " + uri() + ". Its output ends with:\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(work.resolve("logs/console.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** A fixed port taken by something else fails here, in words, rather than in Elasticsearch's bind error. */
    private static int checkFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return port;
        } catch (IOException e) {
            throw new EmbeddedElasticsearchException("Port " + port + " on 127.0.0.1 is in use by another process "
                    + "(another Elasticsearch? 'ss -ltnp sport = :" + port + "' names it): stop it, or choose another "
                    + "port with sharkfin.elasticsearch.embedded.port=<port> (0: any free one).");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing = true;
        supervisor.shutdownNow();
        Process p;
        ProcessHandle node;
        synchronized (this) {
            p = process;
            node = server;
            process = null;
            server = null;
        }
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = new ArrayList<>(p.descendants().toList());
        if (node != null && !children.contains(node)) {
            children.add(node);
        }
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            for (ProcessHandle c : children) {
                c.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
        LeftoverNode.forget(work);
        status = new Status(State.STOPPED, "stopped");
        log.info("Embedded Elasticsearch stopped");
    }
}
