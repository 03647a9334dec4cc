package dev.sharkfin.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** One line at start-up: where Sharkfin listens and whether it asks for a key; a warning when it is open to a network. */
@Component
class ListeningLog {
    private static final Logger log = LoggerFactory.getLogger(ListeningLog.class);

    private final ApiKeys keys;
    private final Environment env;

    ListeningLog(ApiKeys keys, Environment env) {
        this.keys = keys;
        this.env = env;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
            return;
        }
        String address = env.getProperty("server.address");
        int port = web.getWebServer().getPort();
        boolean everywhere = address == null || address.isBlank() || anyLocal(address);
        String where = everywhere ? "every interface (server.address " + (address == null || address.isBlank() ? "unset" : address)
                + ") on port " + port : "http://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
        if (keys.required()) {
            log.info("Sharkfin listens on {}; API keys required ({}): X-API-Key, Authorization: ApiKey, or a login at /login",
                    where, keys.describe());
        } else if (everywhere || !loopback(address)) {
            log.warn("Sharkfin listens on {} with no API key configured: anyone who reaches it has full rights "
                    + "(set sharkfin.security.api-key)", where);
        } else {
            log.info("Sharkfin listens on {}; no API key configured, so only this machine can reach it, with full rights "
                    + "(set sharkfin.security.api-key and server.address to serve a network)", where);
        }
    }

    private static boolean anyLocal(String address) {
        try {
            return InetAddress.getByName(address).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
