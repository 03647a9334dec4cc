package dev.sharkfin.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The node's work folder: {@code data}, {@code logs}, {@code tmp} and its own {@code config}, a copy of the
 * distribution's, so that the distribution is never written to and can be shared. The copy keeps files the node
 * changed (its keystore) but takes {@code jvm.options} afresh each start.
 */
final class NodeWorkDir {
    private NodeWorkDir() {
    }

    /**
     * Creates the folders and copies the config of the distribution at {@code home} into {@code work}; with {@code
     * freshLog} (a first start, not a restart) the console log starts empty.
     */
    static void prepare(Path work, Path home, boolean freshLog) throws IOException {
        for (String d : List.of("data", "logs", "tmp", "config")) {
            Files.createDirectories(work.resolve(d));
        }
        copyConfig(home.resolve("config"), work.resolve("config"));
        if (freshLog) {
            Files.deleteIfExists(ConsoleLog.in(work).path());
        }
    }

    private static void copyConfig(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path src : (Iterable<Path>) files::iterator) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else if (!Files.exists(dst) || src.getFileName().toString().equals("jvm.options")) {
                    Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
