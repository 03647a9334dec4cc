package dev.sharkfin.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

/**
 * The privilege drop of a node started by a Sharkfin running as root: who it runs as ({@link RootIdentity}) and the
 * folders handed to that user. Elasticsearch refuses to run as root; the command is prefixed with {@link
 * RootIdentity#setpriv()}. Failures are {@link EmbeddedElasticsearchException}s that say which folder to open.
 */
final class PrivilegeDrop {
    private PrivilegeDrop() {
    }

    /**
     * The identity the node runs as when Sharkfin runs as root, or null when it does not.
     *
     * @param runAs the configured {@code run-as} user; null or blank: arranged by {@link RootIdentity#arrange}
     */
    static RootIdentity identity(String runAs, Path home, Path work) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return null;
        }
        return RootIdentity.arrange(runAs == null || runAs.isBlank() ? null : runAs.trim(), home, work);
    }

    /**
     * Gives the work folder to the node's user, and checks that the user can enter the distribution's {@code lib}
     * and the data folder.
     */
    static void grant(RootIdentity id, Path home, Path work) throws IOException {
        String user = id.user();
        if (RootIdentity.exec(List.of("chown", "-R", id.uid() + ":" + id.gid(), work.toString())) != 0) {
            throw new EmbeddedElasticsearchException("Could not give the folder " + work + " to the user '" + user + "'.");
        }
        for (Path p : List.of(home.resolve("lib"), work.resolve("data"))) {
            if (!id.canEnter(p)) {
                throw new EmbeddedElasticsearchException("The user '" + user + "' cannot enter " + p + ". Every folder above the "
                        + "Elasticsearch distribution and the data folder must be enterable by that user: for example "
                        + "'chmod o+x " + firstClosedAncestor(p) + "' (and the folders above it), or set "
                        + "sharkfin.elasticsearch.embedded.home / data-dir to folders under an enterable path.");
            }
        }
    }

    /** The topmost folder at or above {@code p} that others cannot enter ({@code p} when that cannot be read). */
    static Path firstClosedAncestor(Path p) {
        Path last = p;
        for (Path a = p; a != null; a = a.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(a).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    last = a;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return p;
            }
        }
        return last;
    }
}
