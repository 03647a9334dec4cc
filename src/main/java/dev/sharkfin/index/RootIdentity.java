package dev.sharkfin.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

/**
 * Who the embedded node runs as when Sharkfin runs as root (Elasticsearch refuses root), and from where.
 *
 * <p>A configured {@code run-as} user is used as configured: the distribution and data dir must be reachable by it
 * (the start says so when they are not). With none configured, Sharkfin arranges it itself, so that {@code ./mvnw
 * spring-boot:run} works as root on a fresh clone: the user {@code nobody} (or, where there is none, a system user
 * {@code sharkfin-es} it creates); and when that user cannot enter the folders above the clone (a clone under
 * {@code /root}, 0700), the distribution is mirrored by hard links (a copy across file systems) and the data placed
 * under {@code /var/tmp/sharkfin-<uid>/}, rather than opening {@code /root} to every user. {@link #note} says what
 * was done, in one line.
 *
 * @param user the user's name
 * @param uid  its numeric id
 * @param gid  its primary group's numeric id ({@code nobody}'s group is {@code nogroup} on Debian)
 * @param home the distribution it runs
 * @param work its data dir
 * @param note the one line saying what Sharkfin arranged and how to choose otherwise; null when configured
 */
record RootIdentity(String user, int uid, int gid, Path home, Path work, String note) {
    static final String AUTO_USER = "nobody";
    static final String CREATED_USER = "sharkfin-es";

    /** The identity and paths for a node started as root: configured, or arranged as described above. */
    static RootIdentity arrange(String configured, Path home, Path work) throws IOException {
        if (configured != null) {
            int[] ids = ids(configured).orElseThrow(() -> new EmbeddedElasticsearchException("There is no user '"
                    + configured + "' (sharkfin.elasticsearch.embedded.run-as): create it with 'useradd --system "
                    + "--no-create-home " + configured + "', or leave run-as unset and Sharkfin uses 'nobody'."));
            return new RootIdentity(configured, ids[0], ids[1], home, work, null);
        }
        String user = AUTO_USER;
        if (ids(user).isEmpty()) {
            user = CREATED_USER;
            if (ids(user).isEmpty() && exec(List.of("useradd", "--system", "--no-create-home", "--shell",
                    "/usr/sbin/nologin", user)) != 0) {
                throw new EmbeddedElasticsearchException("Elasticsearch refuses to run as root, and there is no user "
                        + "'nobody' to run it as, nor could one be created: set sharkfin.elasticsearch.embedded.run-as"
                        + "=<an unprivileged user>.");
            }
        }
        int[] ids = ids(user).orElseThrow();
        Path place = Path.of("/var/tmp", "sharkfin-" + ids[0]);
        Path runHome = canEnter(ids, home.resolve("lib")) ? home : mirror(home, place);
        Path runWork = canEnter(ids, existingAncestor(work)) ? work : place.resolve("data");
        return new RootIdentity(user, ids[0], ids[1], runHome, runWork, note(user, ids[0], home, runHome, work, runWork));
    }

    /** The {@code setpriv} prefix that runs a command as this identity. */
    List<String> setpriv() {
        return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups");
    }

    boolean canEnter(Path dir) throws IOException {
        return canEnter(new int[] {uid, gid}, dir);
    }

    private static String note(String user, int uid, Path home, Path runHome, Path work, Path runWork) {
        StringBuilder s = new StringBuilder("Sharkfin runs as root and Elasticsearch refuses root: the embedded "
                + "Elasticsearch runs as the unprivileged user '" + user + "' (uid " + uid + ")");
        if (!runHome.equals(home)) {
            s.append(", from a hard-linked copy of the distribution at ").append(runHome);
        }
        if (!runWork.equals(work)) {
            s.append(", with its data under ").append(runWork).append(" (").append(user).append(" cannot enter ")
                    .append(existingAncestor(work)).append(')');
        } else {
            s.append(", with its data under ").append(runWork);
        }
        return s.append(". To choose otherwise, set sharkfin.elasticsearch.embedded.run-as=<user> and "
                + "sharkfin.elasticsearch.embedded.data-dir=<dir> (or spring.elasticsearch.uris for your own).")
                .toString();
    }

    /**
     * The distribution under {@code place}, hard-linked ({@code cp -al}: instant, no space) or copied when that fails;
     * reused while complete. Only root may write there: the copy is readable by the node's user, not writable.
     */
    private static Path mirror(Path home, Path place) throws IOException {
        Path target = place.resolve(home.getFileName());
        Path done = target.resolve(".sharkfin-complete");
        if (Files.exists(done) && Files.readString(done).equals(home.toString())) {
            return target;
        }
        Files.createDirectories(place);
        check(exec(List.of("chown", "root:root", place.toString())) == 0
                && exec(List.of("chmod", "755", place.toString())) == 0, "could not make " + place + " root's");
        FileSystemUtils.deleteRecursively(target);
        if (exec(List.of("cp", "-al", home.toString(), target.toString())) != 0) {
            FileSystemUtils.deleteRecursively(target);
            check(exec(List.of("cp", "-a", home.toString(), target.toString())) == 0,
                    "could not copy the Elasticsearch distribution " + home + " to " + target);
        }
        check(exec(List.of("chmod", "-R", "o+rX", target.toString())) == 0, "could not open " + target + " for reading");
        Files.writeString(done, home.toString());
        return target;
    }

    private static void check(boolean ok, String failure) {
        if (!ok) {
            throw new EmbeddedElasticsearchException("As root, Sharkfin " + failure + ". Set "
                    + "sharkfin.elasticsearch.embedded.run-as, home and data-dir to a user and folders it can reach.");
        }
    }

    static Path existingAncestor(Path p) {
        Path a = p.toAbsolutePath();
        while (a.getParent() != null && !Files.exists(a)) {
            a = a.getParent();
        }
        return a;
    }

    private static boolean canEnter(int[] ids, Path dir) throws IOException {
        return exec(List.of("setpriv", "--reuid=" + ids[0], "--regid=" + ids[1], "--clear-groups",
                "test", "-r", dir.toString(), "-a", "-x", dir.toString())) == 0;
    }

    /** The user's uid and primary gid, or empty when there is no such user. */
    private static java.util.Optional<int[]> ids(String user) throws IOException {
        String uid = output(List.of("id", "-u", user));
        String gid = output(List.of("id", "-g", user));
        if (uid == null || gid == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new int[] {Integer.parseInt(uid), Integer.parseInt(gid)});
    }

    private static String output(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() ? out : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static int exec(List<String> cmd) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
