package dev.sharkfin.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;


/**
 * The agreement report: runs Sharkfin's dissector and tshark on a set of captures and prints, per field,
 * the share of frames where the two agree and the first disagreeing frames. Arguments are capture files
 * or folders; without any, the project's own captures and {@code ../shared/captures/{tcp,protocols}}.
 * Run it with {@code scripts/agreement-report.sh [CAPTURE|FOLDER]...}.
 */
public final class AgreementReport {
    public static void main(String[] args) throws IOException {
        List<Path> inputs = new ArrayList<>();
        if (args.length == 0) {
            inputs.add(Path.of("src/test/resources/captures"));
            for (String shared : List.of("../shared/captures/tcp", "../shared/captures/protocols")) {
                if (Files.isDirectory(Path.of(shared))) {
                    inputs.add(Path.of(shared));
                }
            }
        } else {
            for (String a : args) {
                inputs.add(Path.of(a));
            }
        }
        List<Path> captures = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.list(in)) {
                    s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().forEach(captures::add);
                }
            } else {
                captures.add(in);
            }
        }
        // Headers and TCP analysis against tshark's defaults; application fields against tshark without
        // reassembly, Sharkfin's model of one frame at a time (the differences by design counted apart).
        Agreement headers = TsharkAgreementTest.withKnownDifferences(new Agreement(TsharkAgreementTest.allFields()));
        Agreement applications = ApplicationAgreementTest.withKnownDifferences(
                new Agreement(ApplicationAgreementTest.fields(), ApplicationAgreementTest.PER_FRAME));
        for (Path c : captures) {
            var docs = Agreement.documents(c, TsharkAgreementTest.format(c));
            headers.compare(c, docs);
            applications.compare(c, docs);
        }
        String from = captures.size() + " captures from " + inputs;
        System.out.println(headers.report("Link, IP, TCP, UDP headers and TCP analysis vs tshark: " + from));
        System.out.println(applications.report("Application and tunnel fields vs tshark without TCP reassembly: " + from));
    }

    private AgreementReport() {
    }
}
