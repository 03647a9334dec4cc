package dev.sharkfin.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import dev.sharkfin.it.Integration;
import dev.sharkfin.it.Tshark;

/**
 * The kept tshark output ({@link StoredTshark}) is what this machine's tshark writes now: for every project capture
 * and setting, tshark runs again and its output must equal the file. A file written by another tshark version is
 * reported as such (a newer tshark may show other values: the files say which one is the reference). With
 * {@code -Dsharkfin.write-golden=true} the files are written instead ({@link StoredTshark#WRITE}).
 */
@Integration
class StoredTsharkTest {
    @Test
    void keptTsharkOutputIsCurrent() throws IOException {
        boolean write = Boolean.getBoolean("sharkfin.write-golden");
        String version = Tshark.version();
        List<String> stale = new ArrayList<>();
        for (Path capture : TsharkAgreementTest.captures(Path.of("src/test/resources/captures"))) {
            for (String setting : StoredTshark.SETTINGS.keySet()) {
                Path file = StoredTshark.file(capture, setting);
                String now = StoredTshark.render(capture, setting);
                if (write) {
                    StoredTshark.write(file, now);
                    continue;
                }
                String kept = Files.exists(file) ? read(file) : "";
                if (!kept.equals(now)) {
                    String keptVersion = kept.lines().findFirst().orElse("(no file)");
                    stale.add(file + (keptVersion.equals("# " + version) ? " is stale"
                            : " was written by " + keptVersion.substring(Math.min(2, keptVersion.length()))
                                    + ", this machine runs " + version + " (the kept one is the reference)"));
                }
            }
        }
        assertThat(stale).as("tshark output kept for the project's captures; write it again with " + StoredTshark.WRITE
                + " and review the differences").isEmpty();
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
