package dev.sharkfin.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.stereotype.Component;

/** The free space of the disk a folder is on, as this process may use it. */
@Component
public class DiskSpace {
    public long usable(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the free space of " + dir + ": " + e.getMessage(), e);
        }
    }
}
