package dev.sharkfin.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Browsers' logins: {@code POST /login} with a valid key makes a random token, which the cookie carries, so the
 * key itself never sits in the browser. Tokens live in memory (a restart logs everyone out) for
 * {@code sharkfin.security.login-lifetime}, and are kept by their hash: a lookup's timing says nothing useful.
 */
@Component
class LoginSessions {
    static final String COOKIE = "sharkfin_login";
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Session(ApiKeys.Holder holder, Instant expires) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecurityProperties props;
    private final Clock clock;

    LoginSessions(SecurityProperties props) {
        this.props = props;
        this.clock = Clock.systemUTC();
    }

    /** A new login for the key's holder; answers the token for the cookie. */
    String create(ApiKeys.Holder holder) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.expires.isAfter(now));
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(key(token), new Session(holder, now.plus(props.loginLifetime())));
        return token;
    }

    Optional<ApiKeys.Holder> find(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        Session s = sessions.get(key(token));
        if (s == null) {
            return Optional.empty();
        }
        if (!s.expires.isAfter(clock.instant())) {
            sessions.remove(key(token));
            return Optional.empty();
        }
        return Optional.of(s.holder);
    }

    void remove(String token) {
        if (token != null && !token.isEmpty()) {
            sessions.remove(key(token));
        }
    }

    private static String key(String token) {
        return HexFormat.of().formatHex(ApiKeys.sha256(token));
    }
}
