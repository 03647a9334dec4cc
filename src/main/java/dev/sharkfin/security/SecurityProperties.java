package dev.sharkfin.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use Sharkfin. No key at all: everyone who reaches the address has full rights (and the address is
 * 127.0.0.1 by default, {@code server.address}). Any key: every endpoint but {@code /actuator/health},
 * {@code /login} and {@code /logout} needs one.
 *
 * @param apiKey         one key with full rights ({@code SHARKFIN_SECURITY_API_KEY})
 * @param keys           more keys, each with its role: {@code read} (GET and HEAD only) or {@code full}
 * @param loginLifetime  how long a browser's login (the cookie {@code POST /login} sets) lasts
 * @param allowedOrigins origins besides Sharkfin's own (scheme://host:port, as a browser sends {@code Origin})
 *                       whose pages may send state-changing requests, e.g. a reverse proxy's public address
 */
@ConfigurationProperties("sharkfin.security")
public record SecurityProperties(
        String apiKey,
        @DefaultValue List<Key> keys,
        @DefaultValue("12h") Duration loginLifetime,
        @DefaultValue List<String> allowedOrigins) {

    /** One entry of {@code sharkfin.security.keys}. */
    public record Key(String key, Role role) {
    }
}
