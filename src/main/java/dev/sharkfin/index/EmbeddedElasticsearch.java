package dev.sharkfin.index;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
 *
 * <p>This class holds the node's lifecycle and its supervision; the pieces it runs are {@link NodeDistribution},
 * {@link NodeJava}, {@link PrivilegeDrop}, {@link NodeWorkDir}, {@link NodeCommand}, {@link NodeHealth}, {@link
 * ConsoleLog}, {@link RestartBudget}, {@link LoopbackPorts} and {@link NodeProcesses}.
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
    private ConsoleLog console;
    /** Who the node runs as when Sharkfin runs as root; null otherwise. */
    private RootIdentity identity;
    private final RestartBudget restarts;
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
        this.restarts = new RestartBudget(props.maxRestarts(), props.restartWindow());
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
            prepare();
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

    /** Finds the distribution and the Java, drops privileges as root, stops a leftover node and takes the port. */
    private void prepare() throws IOException {
        home = NodeDistribution.find(props.home(), NodeDistribution.UNPACKED);
        javaHome = NodeJava.choose(props.javaHome(), System.getenv("JAVA_HOME"));
        work = props.dataDir().toAbsolutePath().normalize();
        identity = PrivilegeDrop.identity(props.runAs(), home, work);
        if (identity != null) {
            home = identity.home();
            work = identity.work();
            if (identity.note() != null) {
                log.info(identity.note());
            }
        }
        console = ConsoleLog.in(work);
        LeftoverNode.stop(work);
        httpPort = props.port() == 0 ? LoopbackPorts.free() : LoopbackPorts.checkFree(props.port());
    }

    /**
     * Starts the node and waits until it is healthy: the first time, or again after it died, on the same HTTP port and
     * data folder (a restart appends to the console log rather than replacing it).
     */
    private void launch(boolean again) throws IOException {
        int transportPort = LoopbackPorts.free();
        NodeWorkDir.prepare(work, home, !again);
        if (identity != null) {
            PrivilegeDrop.grant(identity, home, work);
        }
        ProcessBuilder pb = new NodeCommand(identity != null ? identity.setpriv() : List.of(), home, work, javaHome, httpPort,
                transportPort, props.heap().toMegabytes()).processBuilder();
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
        NodeHealth.await(uri(), process, props.startupTimeout(), console, () -> closing);
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
                why, console, console.tail());
        NodeProcesses.stop(node);
        while (!closing) {
            if (!restarts.take(Instant.now())) {
                status = new Status(State.DOWN, "Elasticsearch " + why + " and was restarted " + props.maxRestarts()
                        + " times within " + RetryPolicy.text(props.restartWindow()) + " already "
                        + "(sharkfin.elasticsearch.embedded.max-restarts / restart-window); not restarted again");
                log.error("Embedded Elasticsearch: {}", status.detail());
                return;
            }
            status = new Status(State.RESTARTING, "Elasticsearch " + why + "; restarting on " + uri());
            try {
                restart(why);
                return;
            } catch (IOException | RuntimeException e) {
                why = "could not be restarted: " + e.getMessage();
                log.error("Embedded Elasticsearch {}", why);
                NodeProcesses.stop(process == null ? null : process.toHandle());
            }
        }
    }

    /** Starts the node again after it {@code why}, and watches it; nothing more once Sharkfin is closing. */
    private void restart(String why) throws IOException {
        long t0 = System.nanoTime();
        launch(true);
        if (closing) {
            return;
        }
        restartCount++;
        status = new Status(State.UP, "running on " + uri() + ", pid " + pid() + "; restarted " + restartCount
                + " time" + (restartCount == 1 ? "" : "s") + ", last after it " + why);
        log.info("Embedded Elasticsearch restarted in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        watch(process);
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
        NodeProcesses.stopAll(p, node);
        LeftoverNode.forget(work);
        status = new Status(State.STOPPED, "stopped");
        log.info("Embedded Elasticsearch stopped");
    }
}
