package dev.sharkfin.it;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * The shared capture corpus ({@code ../shared/captures}, or {@code SHARKFIN_SHARED_CAPTURES}). CI has it;
 * a fresh clone does not, and the tests that use it then skip with a message saying so (under CI they fail).
 */
public final class SharedCaptures {
    public static Path root() {
        String env = System.getenv("SHARKFIN_SHARED_CAPTURES");
        Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of("..", "shared", "captures");
        return root.toAbsolutePath().normalize();
    }

    /**
     * The folder, or a skipped test with a visible message; under CI (the {@code CI} variable set, as {@code .ci/run}
     * does) a failed one: CI has the corpus, and a test that skips there proves nothing.
     */
    public static Path require(String folder) {
        Path dir = root().resolve(folder);
        if (!Files.isDirectory(dir) && underCi()) {
            throw new AssertionError("the shared capture corpus is not at " + dir + ", and CI must have it (CI=" + System.getenv("CI")
                    + "; set SHARKFIN_SHARED_CAPTURES to its captures/ folder)");
        }
        if (!Files.isDirectory(dir)) {
            String msg = "SKIPPED: the shared capture corpus is not at " + dir
                    + " (set SHARKFIN_SHARED_CAPTURES to its captures/ folder to run these tests)";
            System.out.println(msg);
            Assumptions.abort(msg);
        }
        return dir;
    }

    static boolean underCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
    }

    private SharedCaptures() {
    }
}
