package dev.sharkfin.job;

/**
 * The file name a job's capture is downloaded under: a live job's {@code sharkfin-<id>-<interface>}, an upload's own
 * name without its {@code .gz} and capture extension ({@code capture-<id>} when nothing is left), then {@code .pcap}
 * or {@code .pcapng} as the file is. Characters other than letters, digits, {@code .}, {@code _} and {@code -} become
 * {@code _}, so the name is safe in a {@code Content-Disposition} header and on any file system.
 */
final class CaptureFileNames {
    private static final String UNSAFE = "[^A-Za-z0-9._-]";

    private CaptureFileNames() {
    }

    static String of(JobStatus job, boolean pcapng) {
        String ext = pcapng ? ".pcapng" : ".pcap";
        if (Job.LIVE.equals(job.kind())) {
            return "sharkfin-" + job.id() + "-" + job.source().substring("live:".length()).replaceAll(UNSAFE, "_") + ext;
        }
        String base = job.source().replaceAll("(?i)\\.gz$", "").replaceAll("(?i)\\.(pcapng|pcap|cap)$", "")
                .replaceAll(UNSAFE, "_");
        return (base.isBlank() ? "capture-" + job.id() : base) + ext;
    }
}
