package dev.sharkfin.index;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.sharkfin.capture.CaptureFileSource;
import dev.sharkfin.capture.Frame;
import dev.sharkfin.normalize.JsonOut;
import dev.sharkfin.normalize.PacketDocuments;

/**
 * The input of {@code scripts/es-field-cost.py}: the packet index template as the service installs it
 * ({@code template.json}) and the documents of one or more captures as bulk NDJSON with the service's
 * ids ({@code documents.ndjson}, each capture's frames numbered from 1, as one job each would be).
 *
 * <p>Usage: {@code java -cp <test classpath> dev.sharkfin.index.FieldCostExport <out dir> <capture>...}
 */
final class FieldCostExport {
    private FieldCostExport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: FieldCostExport <out dir> <capture>...");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        Files.writeString(dir.resolve("template.json"), PacketTemplate.json());
        long total = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("documents.ndjson")), 1 << 20)) {
            for (int i = 1; i < args.length; i++) {
                total += export(Path.of(args[i]), "cost" + i, out);
            }
        }
        System.out.println(total + " documents in " + dir.resolve("documents.ndjson"));
    }

    private static long export(Path capture, String job, OutputStream out) throws IOException {
        PacketDocuments documents = new PacketDocuments();
        Frame frame = new Frame();
        long n = 0;
        try (CaptureFileSource source = new CaptureFileSource(capture)) {
            while (source.next(frame)) {
                n++;
                JsonOut doc = documents.write(n, frame.timeNanos, frame.wireNanos, frame.data, frame.capturedLength,
                        frame.originalLength, frame.linkType, frame.timeOutOfRange);
                out.write(("{\"index\":{\"_id\":\"" + job + "-" + n + "\"}}\n").getBytes(StandardCharsets.UTF_8));
                out.write(doc.buffer(), 0, doc.length());
                out.write('\n');
            }
        }
        return n;
    }
}
