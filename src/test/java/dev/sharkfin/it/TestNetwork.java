package dev.sharkfin.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Where live-capture tests send real packets: a veth pair between this network namespace and one the test
 * creates (as root), or loopback where namespaces cannot be made. Sockets opened through {@link #inPeer} live in
 * the peer's namespace (the thread joins it with setns(2) first), so a TCP server there is reached over the veth
 * pair and every packet crosses the captured interface.
 */
final class TestNetwork implements AutoCloseable {
    /** The interface to capture on. */
    final String captureInterface;
    /** The address of the far side: a datagram or connection to it crosses {@link #captureInterface}. */
    final String peerAddress;
    /** Null for loopback. */
    private final String namespace;
    final String description;

    private TestNetwork(String captureInterface, String peerAddress, String namespace, String description) {
        this.captureInterface = captureInterface;
        this.peerAddress = peerAddress;
        this.namespace = namespace;
        this.description = description;
    }

    /** A veth pair into a fresh namespace if this process may make one, else loopback. */
    static TestNetwork create() {
        int n = ThreadLocalRandom.current().nextInt(1, 250);
        String ns = "sharkfin-t" + n + "-" + ProcessHandle.current().pid();
        String here = "sfa" + n + "x" + (ProcessHandle.current().pid() % 10000);
        String there = "sfb" + n + "x" + (ProcessHandle.current().pid() % 10000);
        String prefix = "10.213." + n + ".";
        List<List<String>> steps = List.of(
                List.of("ip", "netns", "add", ns),
                List.of("ip", "link", "add", here, "type", "veth", "peer", "name", there),
                List.of("ip", "link", "set", there, "netns", ns),
                List.of("ip", "addr", "add", prefix + "1/24", "dev", here),
                List.of("ip", "link", "set", here, "up"),
                List.of("ip", "netns", "exec", ns, "ip", "addr", "add", prefix + "2/24", "dev", there),
                List.of("ip", "netns", "exec", ns, "ip", "link", "set", there, "up"),
                List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
        List<String> errors = new ArrayList<>();
        for (List<String> step : steps) {
            String error = run(step);
            if (error != null) {
                errors.add(String.join(" ", step) + ": " + error);
                run(List.of("ip", "link", "del", here));
                run(List.of("ip", "netns", "del", ns));
                System.out.println("[live capture tests] no veth pair (" + errors + "); using loopback");
                return new TestNetwork("lo", "127.0.0.1", null, "loopback");
            }
        }
        return new TestNetwork(here, prefix + "2", ns, "veth pair " + here + " <-> " + there + " in " + ns);
    }

    /** Runs {@code body} on a thread inside the peer's namespace (here, for loopback). */
    <T> T inPeer(Callable<T> body) throws Exception {
        if (namespace == null) {
            return body.call();
        }
        FutureTask<T> task = new FutureTask<>(() -> {
            int fd = Libc.INSTANCE.open("/var/run/netns/" + namespace, 0);
            if (fd < 0) {
                throw new IOException("cannot open the namespace " + namespace);
            }
            try {
                if (Libc.INSTANCE.setns(fd, 0x40000000 /* CLONE_NEWNET */) != 0) {
                    throw new IOException("setns failed for " + namespace);
                }
            } finally {
                Libc.INSTANCE.close(fd);
            }
            return body.call();
        });
        Thread t = new Thread(task, "in-" + namespace); // a thread of its own: it never leaves the namespace
        t.setDaemon(true);
        t.start();
        try {
            return task.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    @Override
    public void close() {
        if (namespace != null) {
            run(List.of("ip", "netns", "del", namespace)); // takes the veth pair with it
        }
    }

    private static String run(List<String> cmd) {
        try {
            Path out = Files.createTempFile("ip", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return "timed out";
                }
                return p.exitValue() == 0 ? null : Files.readString(out).strip();
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    interface Libc extends Library {
        Libc INSTANCE = Native.load("c", Libc.class);

        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }
}
