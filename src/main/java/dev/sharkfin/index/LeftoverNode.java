package dev.sharkfin.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PID file ({@code elasticsearch.pid} in the data dir) that lets a start find the embedded node a hard-killed
 * Sharkfin left running: such a node keeps the HTTP port and the data folder, and the next start would fail on
 * them. It holds the owning Sharkfin's pid, the launcher's, then the node's once it is up; {@link
 * EmbeddedElasticsearch#close()} deletes it. At start, when the owner is gone, a listed process still alive whose
 * command line is an Elasticsearch's naming this data dir is stopped (SIGTERM, then SIGKILL after 30 s); a pid reused
 * by an unrelated process is left alone. When the owner is another Sharkfin still running, its node is not touched:
 * the start fails, saying so. Elasticsearch's own {@code node.lock} is a file lock the dead node no longer holds.
 */
final class LeftoverNode {
    private static final Logger log = LoggerFactory.getLogger(LeftoverNode.class);
    static final String FILE = "elasticsearch.pid";

    private LeftoverNode() {
    }

    /** Records the processes of the node now running on {@code work}: this JVM, the launcher, the node. */
    static void record(Path work, ProcessHandle... processes) {
        List<String> pids = new ArrayList<>();
        pids.add(Long.toString(ProcessHandle.current().pid()));
        for (ProcessHandle p : processes) {
            if (p != null) {
                pids.add(Long.toString(p.pid()));
            }
        }
        try {
            Files.write(work.resolve(FILE), pids);
        } catch (IOException e) {
            log.warn("Could not write {}: {} (a node left by a hard kill will not be found at the next start)",
                    work.resolve(FILE), e.getMessage());
        }
    }

    static void forget(Path work) {
        try {
            Files.deleteIfExists(work.resolve(FILE));
        } catch (IOException e) {
            // the next start reads it and finds nothing alive of ours
        }
    }

    /**
     * Stops what a previous run on {@code work} left running, if anything.
     *
     * @return the pids stopped (empty: nothing was left running)
     * @throws EmbeddedElasticsearchException when a leftover node of ours does not die even on SIGKILL
     */
    static List<Long> stop(Path work) {
        Path file = work.resolve(FILE);
        List<Long> stopped = new ArrayList<>();
        if (!Files.exists(file)) {
            return stopped;
        }
        List<Long> pids = read(file);
        if (pids.isEmpty()) {
            forget(work);
            return stopped;
        }
        long owner = pids.removeFirst();
        ProcessHandle.of(owner).filter(o -> o.isAlive() && o.pid() != ProcessHandle.current().pid()
                && commandLine(o).contains("java")).ifPresent(o -> {
                    throw new EmbeddedElasticsearchException("The data dir " + work + " is in use by the embedded "
                            + "Elasticsearch of another Sharkfin still running (pid " + owner + "): stop that one, or "
                            + "give this one its own sharkfin.elasticsearch.embedded.data-dir and port.");
                });
        for (long pid : pids.reversed()) {
            Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (p.isPresent() && isOurs(p.get(), work)) {
                log.warn("An embedded Elasticsearch left running by an earlier Sharkfin (pid {}, data {}) holds its port "
                        + "and data: stopping it", pid, work);
                kill(p.get(), work);
                stopped.add(pid);
            }
        }
        forget(work);
        return stopped;
    }

    private static List<Long> read(Path file) {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                try {
                    pids.add(Long.parseLong(line.trim()));
                } catch (NumberFormatException e) {
                    // not a pid: ignored
                }
            }
        } catch (IOException e) {
            log.warn("Could not read {}: {}", file, e.getMessage());
        }
        return pids;
    }

    /** An Elasticsearch process (launcher or node) whose command line names this data dir. */
    static boolean isOurs(ProcessHandle p, Path work) {
        String cmd = commandLine(p);
        return cmd.contains("org.elasticsearch") && cmd.contains(work.toString());
    }

    private static String commandLine(ProcessHandle p) {
        try {
            return String.join(" ", Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "cmdline")))
                    .replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return p.info().commandLine().orElse("");
        }
    }

    private static void kill(ProcessHandle p, Path work) {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.addFirst(p);
        all.forEach(ProcessHandle::destroy);
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            all.forEach(ProcessHandle::destroyForcibly);
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception again) {
                throw new EmbeddedElasticsearchException("An embedded Elasticsearch left running by an earlier "
                        + "Sharkfin (pid " + p.pid() + ", data " + work + ") does not stop: kill it ('kill -9 "
                        + p.pid() + "'), then start Sharkfin again.");
            }
        }
    }
}
