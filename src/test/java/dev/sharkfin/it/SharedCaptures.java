package dev.sharkfin.it;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * The shared capture corpus ({@code ../shared/captures}, or {@code SHARKFIN_SHARED_CAPTURES}). CI has it;
 * a fresh clone does not, and the tests that use it then skip with a message saying so.
 */
public final class SharedCaptures {
    public static Path root() {
        String env = System.getenv("SHARKFIN_SHARED_CAPTURES");
        Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of("..", "shared", "captures");
        return root.toAbsolutePath().normalize();
    }

    /** The folder, or a skipped test with a visible message. */
    public static Path require(String folder) {
        Path dir = root().resolve(folder);
        if (!Files.isDirectory(dir)) {
            String msg = "SKIPPED: the shared capture corpus is not at " + dir
                    + " (set SHARKFIN_SHARED_CAPTURES to its captures/ folder to run these tests)";
            System.out.println(msg);
            Assumptions.abort(msg);
        }
        return dir;
    }

    private SharedCaptures() {
    }
}
