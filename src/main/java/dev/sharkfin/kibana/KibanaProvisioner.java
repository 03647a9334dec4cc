package dev.sharkfin.kibana;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

/**
 * With {@code sharkfin.kibana.url} set, waits for Kibana ({@code GET /api/status} until {@code available}, with a
 * bounded, doubling backoff) on a thread of its own, so start-up never waits, then imports the saved objects
 * once.
 */
@Component
public class KibanaProvisioner {
    private static final Logger log = LoggerFactory.getLogger(KibanaProvisioner.class);

    public enum State { DISABLED, WAITING, IMPORTED, FAILED }

    private final KibanaProperties props;
    private final KibanaClient client;
    private volatile State state = State.DISABLED;
    private volatile String detail = "sharkfin.kibana.url is not set";
    private volatile Thread thread;

    KibanaProvisioner(KibanaProperties props, KibanaClient client) {
        this.props = props;
        this.client = client;
    }

    public State state() {
        return state;
    }

    /** What happened last, in words. */
    public String detail() {
        return detail;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!props.configured() || !props.provision()) {
            detail = props.configured() ? "sharkfin.kibana.provision is false" : detail;
            return;
        }
        state = State.WAITING;
        detail = "waiting for Kibana at " + props.url();
        Thread t = new Thread(this::run, "sharkfin-kibana-provisioning");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        Instant deadline = Instant.now().plus(props.waitFor());
        Duration pause = props.backoff();
        String last = "no answer yet";
        while (!Thread.currentThread().isInterrupted()) {
            try {
                String level = client.statusLevel();
                if ("available".equals(level)) {
                    KibanaClient.ImportResult r = client.importSavedObjects(props.space());
                    state = r.success() ? State.IMPORTED : State.FAILED;
                    detail = (r.success() ? "imported: " : "Kibana refused some objects: ") + r.summary();
                    if (r.success()) {
                        log.info("Kibana at {}: the TCP congestion dashboard is imported", props.url());
                    } else {
                        log.warn("Kibana at {} imported Sharkfin's saved objects with errors: {}", props.url(), r.summary());
                    }
                    return;
                }
                last = "status " + level;
            } catch (KibanaException e) {
                last = e.getMessage();
                if (e.kibanaStatus() / 100 == 4 && e.kibanaStatus() != 404 && e.kibanaStatus() != 0) {
                    // Credentials or the request itself are wrong: waiting will not help.
                    fail(e.getMessage());
                    return;
                }
            } catch (RuntimeException e) {
                last = e.toString();
            }
            if (Instant.now().plus(pause).isAfter(deadline)) {
                fail("Kibana at " + props.url() + " was not available within " + props.waitFor() + " (" + last
                        + "); import with POST /api/kibana/import once it is");
                return;
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(props.maxBackoff()) > 0 ? props.maxBackoff() : pause.multipliedBy(2);
        }
    }

    private void fail(String why) {
        state = State.FAILED;
        detail = why;
        log.warn("Kibana auto-provisioning gave up: {}", why);
    }

    @PreDestroy
    void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
