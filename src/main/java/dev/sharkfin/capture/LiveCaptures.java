package dev.sharkfin.capture;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.Pcaps;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import dev.sharkfin.capture.LiveCaptureException.Reason;
import jakarta.annotation.PreDestroy;

/**
 * Opens live captures: lists the interfaces, checks a request against the configured defaults and bounds, opens
 * the interface through libpcap (nanosecond timestamps, the request's snaplen, promiscuity and BPF filter) and
 * starts the capture thread. At most {@code maxConcurrent} captures hold a place at once.
 */
@Component
@EnableConfigurationProperties(LiveCaptureProperties.class)
public class LiveCaptures {
    /** libpcap's activation errors (pcap/pcap.h). */
    private static final int PCAP_ERROR_NO_SUCH_DEVICE = -5, PCAP_ERROR_PERM_DENIED = -8,
            PCAP_ERROR_PROMISC_PERM_DENIED = -11;
    static final String PERMISSION_HINT = "Run Sharkfin as root, or grant the JVM the capabilities to capture: "
            + "setcap cap_net_raw,cap_net_admin=eip \"$(readlink -f \"$JAVA_HOME/bin/java\")\".";
    static final String NO_LIBPCAP = "libpcap is not installed, so live capture is unavailable (uploads still work). "
            + "Install it: apt-get install libpcap0.8 (Debian, Ubuntu), dnf install libpcap (Fedora, RHEL).";

    static {
        PcapFileSource.LibpcapLocator.configure();
    }

    private final LiveCaptureProperties props;
    private final Semaphore places;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sharkfin-capture-timer");
        t.setDaemon(true);
        return t;
    });

    public LiveCaptures(LiveCaptureProperties props) {
        this.props = props;
        this.places = new Semaphore(Math.max(0, props.maxConcurrent()));
    }

    public LiveCaptureProperties properties() {
        return props;
    }

    /** The interfaces libpcap can open, on the allow-list. */
    public List<NetworkInterfaceInfo> interfaces() {
        requireEnabled();
        List<NetworkInterfaceInfo> all = new ArrayList<>();
        for (PcapNetworkInterface nif : devices()) {
            if (allowed(nif.getName())) {
                all.add(describe(nif));
            }
        }
        return all;
    }

    /**
     * Applies the defaults and checks the bounds. Durations are ISO-8601 ({@code PT10M}) or simple ({@code 10m},
     * {@code 30s}); sizes are bytes or a number with a unit ({@code 1GB}, {@code 500MB}).
     */
    public LiveCaptureSpec spec(String interfaceName, String filter, Integer snaplen, Boolean promiscuous, Long maxPackets,
            String maxDuration, String maxBytes) {
        requireEnabled();
        if (interfaceName == null || interfaceName.isBlank()) {
            throw bad("'interface' is required: one of the names GET /api/interfaces lists.");
        }
        int snap = snaplen == null ? props.defaultSnaplen() : snaplen;
        if (snap < 64 || snap > 262144) {
            throw bad("'snaplen' must be between 64 and 262144 bytes; it was " + snap + ".");
        }
        long packets = maxPackets == null ? props.defaultMaxPackets() : maxPackets;
        if (packets < 0 || packets > props.maxPackets()) {
            throw bad("'maxPackets' must be between 1 and " + props.maxPackets()
                    + " (sharkfin.capture.live.max-packets), or 0 for no packet limit; it was " + packets + ".");
        }
        Duration duration = maxDuration == null || maxDuration.isBlank() ? props.defaultDuration() : duration(maxDuration);
        if (duration.isNegative() || duration.isZero() || duration.compareTo(props.maxDuration()) > 0) {
            throw bad("'maxDuration' must be more than 0 and at most " + props.maxDuration()
                    + " (sharkfin.capture.live.max-duration); it was " + duration + ".");
        }
        long bytes = maxBytes == null || maxBytes.isBlank() ? props.defaultMaxBytes().toBytes() : size(maxBytes);
        if (bytes < 1024 || bytes > props.maxBytes().toBytes()) {
            throw bad("'maxBytes' must be between 1KB and " + props.maxBytes().toMegabytes()
                    + "MB (sharkfin.capture.live.max-bytes); it was " + bytes + " bytes.");
        }
        String f = filter == null || filter.isBlank() ? null : filter.strip();
        return new LiveCaptureSpec(interfaceName, f, snap, promiscuous != null && promiscuous, packets, duration, bytes);
    }

    /**
     * Opens the interface and starts capturing into a new pcapng spool at {@code spoolPath}.
     *
     * @throws LiveCaptureException with the reason the API turns into its status
     */
    public LiveCapture start(String jobId, LiveCaptureSpec spec, Path spoolPath) {
        requireEnabled();
        PcapNetworkInterface nif = find(spec.interfaceName());
        if (!places.tryAcquire()) {
            throw new LiveCaptureException(Reason.TOO_MANY, props.maxConcurrent() + " live captures are running, the most "
                    + "allowed at once (sharkfin.capture.live.max-concurrent). Stop one, or try again later.",
                    props.retryAfter(), null);
        }
        PcapHandle handle = null;
        try {
            handle = open(nif, spec);
            if (spec.filter() != null) {
                applyFilter(handle, spec.filter());
            }
            int linkType = handle.getDlt().value();
            Files.createDirectories(spoolPath.getParent());
            PcapngSpool spool = new PcapngSpool(spoolPath, linkType, spec.snaplen(), nif.getName(), spec.filter(),
                    1 << 20);
            LiveCapture capture = new LiveCapture(jobId, spec, handle, spool, linkType, places::release);
            capture.start(timer, Math.max(10, props.commitInterval().toMillis()));
            return capture;
        } catch (RuntimeException | java.io.IOException e) {
            if (handle != null) {
                handle.close();
            }
            places.release();
            if (e instanceof LiveCaptureException l) {
                throw l;
            }
            throw new LiveCaptureException(Reason.OPEN_FAILED, "The capture on " + spec.interfaceName()
                    + " could not start: " + e.getMessage(), null, e);
        }
    }

    /** Live captures that may start before the budget is spent. */
    public int placesLeft() {
        return places.availablePermits();
    }

    private PcapHandle open(PcapNetworkInterface nif, LiveCaptureSpec spec) {
        try {
            return new PcapHandle.Builder(nif.getName())
                    .snaplen(spec.snaplen())
                    .promiscuousMode(spec.promiscuous() ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(100)
                    .bufferSize((int) Math.min(Integer.MAX_VALUE, props.bufferSize().toBytes()))
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                    .build();
        } catch (PcapNativeException e) {
            String m = String.valueOf(e.getMessage());
            Integer rc = e.getReturnCode();
            if (rc != null && (rc == PCAP_ERROR_PERM_DENIED || rc == PCAP_ERROR_PROMISC_PERM_DENIED)
                    || m.toLowerCase(Locale.ROOT).contains("permission") || m.contains("not permitted")) {
                throw new LiveCaptureException(Reason.NO_PERMISSION, "Sharkfin may not capture on " + nif.getName()
                        + " (libpcap: " + m + "). " + PERMISSION_HINT, null, e);
            }
            if (rc != null && rc == PCAP_ERROR_NO_SUCH_DEVICE) {
                throw new LiveCaptureException(Reason.UNKNOWN_INTERFACE, "Interface '" + nif.getName()
                        + "' has gone (libpcap: " + m + ").", null, e);
            }
            throw new LiveCaptureException(Reason.OPEN_FAILED, "libpcap could not open " + nif.getName() + ": " + m,
                    null, e);
        }
    }

    private static void applyFilter(PcapHandle handle, String filter) {
        try {
            handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException e) {
            throw new LiveCaptureException(Reason.BAD_FILTER, "The capture filter '" + filter + "' does not compile: "
                    + e.getMessage() + ". Use libpcap's filter syntax (man pcap-filter), e.g. 'tcp port 443'.", null, e);
        } catch (NotOpenException e) {
            throw new IllegalStateException(e);
        }
    }

    private PcapNetworkInterface find(String name) {
        for (PcapNetworkInterface nif : devices()) {
            if (nif.getName().equals(name)) {
                if (!allowed(name)) {
                    throw new LiveCaptureException(Reason.NOT_ALLOWED, "Interface '" + name + "' is not on the allow-list "
                            + props.interfaces() + " (sharkfin.capture.live.interfaces).");
                }
                return nif;
            }
        }
        throw new LiveCaptureException(Reason.UNKNOWN_INTERFACE, "No interface named '" + name + "'. GET /api/interfaces "
                + "lists the ones Sharkfin can capture on.");
    }

    private static List<PcapNetworkInterface> devices() {
        try {
            return Pcaps.findAllDevs();
        } catch (PcapNativeException e) {
            throw new LiveCaptureException(Reason.OPEN_FAILED, "libpcap could not list the interfaces: " + e.getMessage(),
                    null, e);
        } catch (LinkageError e) {
            throw new LiveCaptureException(Reason.NO_LIBPCAP, NO_LIBPCAP, null, e);
        }
    }

    private boolean allowed(String name) {
        return props.interfaces() == null || props.interfaces().isEmpty() || props.interfaces().contains(name);
    }

    private void requireEnabled() {
        if (!props.enabled()) {
            throw new LiveCaptureException(Reason.DISABLED, "Live capture is switched off on this Sharkfin "
                    + "(sharkfin.capture.live.enabled=false). Upload a capture instead: POST /api/captures.");
        }
    }

    private static NetworkInterfaceInfo describe(PcapNetworkInterface nif) {
        List<String> addresses = new ArrayList<>();
        for (PcapAddress a : nif.getAddresses()) {
            InetAddress ip = a.getAddress();
            if (ip != null) {
                addresses.add(text(ip));
            }
        }
        return new NetworkInterfaceInfo(nif.getName(), nif.getDescription(), addresses, nif.isUp(), nif.isLoopBack());
    }

    /** An address as people write it: IPv6 with its longest run of zero groups as "::", no scope. */
    static String text(InetAddress ip) {
        String full = ip.getHostAddress().replaceFirst("%.*$", "");
        if (!(ip instanceof java.net.Inet6Address)) {
            return full;
        }
        String[] groups = full.split(":");
        int bestAt = -1, bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestAt = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        if (bestAt < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestAt));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestAt + bestLength, groups.length));
        return head + "::" + tail;
    }

    private static Duration duration(String text) {
        try {
            return DurationStyle.detectAndParse(text.strip());
        } catch (IllegalArgumentException e) {
            throw bad("'maxDuration' " + text + " is not a duration: write PT10M or 10m, 30s, 2h.");
        }
    }

    private static long size(String text) {
        try {
            return DataSize.parse(text.strip().replace(" ", "")).toBytes();
        } catch (IllegalArgumentException e) {
            throw bad("'maxBytes' " + text + " is not a size: write bytes or a number with KB, MB or GB, e.g. 1GB.");
        }
    }

    private static LiveCaptureException bad(String message) {
        return new LiveCaptureException(Reason.BAD_REQUEST, message);
    }

    @PreDestroy
    void shutdown() {
        timer.shutdownNow();
    }
}
