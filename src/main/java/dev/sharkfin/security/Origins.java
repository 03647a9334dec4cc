package dev.sharkfin.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.springframework.stereotype.Component;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Where a state-changing request comes from. A browser names the page's origin in {@code Origin} on every POST,
 * PUT, PATCH and DELETE (and says {@code Sec-Fetch-Site: cross-site} for another site's page); scripts and curl
 * send neither. Sharkfin accepts its own origin (the scheme, host and port the request was sent to) and
 * {@code sharkfin.security.allowed-origins}; a request with no Origin and no cross-site mark is not a browser's
 * forged one, so it passes.
 */
@Component
class Origins {
    private final Set<String> allowed = new HashSet<>();

    Origins(SecurityProperties props) {
        for (String o : props.allowedOrigins()) {
            String n = normalize(o);
            if (n == null) {
                throw new IllegalStateException("sharkfin.security.allowed-origins has '" + o
                        + "', which is not an origin: write scheme://host[:port], e.g. https://sharkfin.example.org");
            }
            allowed.add(n);
        }
    }

    /** Null when the request may change state; otherwise the foreign origin, in words, for the refusal. */
    String foreign(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin != null) {
            String n = normalize(origin);
            return n != null && (n.equals(own(request)) || allowed.contains(n)) ? null : origin;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        return "cross-site".equalsIgnoreCase(site) ? "a page of another site (Sec-Fetch-Site: cross-site)" : null;
    }

    /** The origin the request was sent to, as its Host header and scheme say. */
    static String own(HttpServletRequest request) {
        return origin(request.getScheme(), request.getServerName(), request.getServerPort());
    }

    /** scheme://host:port, lower case, without IPv6 brackets and with the default port spelt out; null: not an origin. */
    static String normalize(String origin) {
        if (origin == null || origin.isBlank() || origin.equals("null")) {
            return null;
        }
        try {
            URI u = new URI(origin.strip());
            if (u.getScheme() == null || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))
                    || u.getQuery() != null || u.getFragment() != null || u.getUserInfo() != null) {
                return null;
            }
            return origin(u.getScheme(), u.getHost(), u.getPort());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String origin(String scheme, String host, int port) {
        String s = scheme.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int p = port >= 0 ? port : s.equals("https") ? 443 : s.equals("http") ? 80 : -1;
        return s + "://" + h + ":" + p;
    }

    String describeOwn(HttpServletRequest request) {
        String s = request.getScheme() + "://" + request.getServerName();
        boolean defaultPort = (request.getServerPort() == 80 && "http".equals(request.getScheme()))
                || (request.getServerPort() == 443 && "https".equals(request.getScheme()));
        return defaultPort ? s : s + ":" + request.getServerPort();
    }
}
