package dev.sharkfin.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The node's console output, {@code logs/console.log} under its work folder: where the process writes, and its
 * last lines for the messages that say why a start or the node failed. Reading never throws.
 */
record ConsoleLog(Path path) {
    /** How many of the last lines a failure message quotes. */
    static final int TAIL_LINES = 30;

    static ConsoleLog in(Path work) {
        return new ConsoleLog(work.resolve("logs/console.log"));
    }

    /** The last {@value #TAIL_LINES} lines, or a note saying why there are none. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
