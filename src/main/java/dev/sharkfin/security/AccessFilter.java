package dev.sharkfin.security;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every request, in this order: the security headers; a state-changing request from another origin's page refused
 * (403, with or without keys); then, when keys are configured, the key ({@code X-API-Key: <key>},
 * {@code Authorization: ApiKey <key>}, or the login cookie) and its role. Without a key, an API call gets 401 and
 * a page (GET or HEAD outside {@code /api}, {@code /v3/api-docs}, {@code /actuator}) is redirected to
 * {@code /login}; a key sent but wrong is always 401; a read key on a write, 403. Open to all:
 * {@code /login}, {@code /logout} and {@code /actuator/health} (whose details only an authenticated caller sees:
 * the caller becomes the request's user principal, which {@code show-details: when-authorized} asks for). With no
 * key configured everyone is that principal, with full rights, as before keys existed.
 */
class AccessFilter extends OncePerRequestFilter {
    static final String HEADER = "X-API-Key";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final ApiKeys.Holder OPEN = new ApiKeys.Holder("anyone (no key configured)", Role.FULL);
    private static final String HOW = "Send a key as the header X-API-Key: <key> (curl -H 'X-API-Key: <key>' ...) or as "
            + "Authorization: ApiKey <key>; in a browser, log in at /login.";

    private final ApiKeys keys;
    private final LoginSessions sessions;
    private final SecurityHeaders headers;
    private final Origins origins;

    AccessFilter(ApiKeys keys, LoginSessions sessions, SecurityHeaders headers, Origins origins) {
        this.keys = keys;
        this.sessions = sessions;
        this.headers = headers;
        this.origins = origins;
    }

    /** What a request presented: a key in a header (right or wrong), a login cookie (known or not), or nothing. */
    private record Credentials(boolean headerKey, boolean cookie, Optional<ApiKeys.Holder> holder, String note) {
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        headers.apply(path, response);
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (!SAFE.contains(method)) {
            String foreign = origins.foreign(request);
            if (foreign != null) {
                Problems.send(request, response, 403, "Cross-origin request refused", "A " + method + " from " + foreign
                        + " to this Sharkfin (" + origins.describeOwn(request) + ") is refused: requests that change "
                        + "something are accepted from Sharkfin's own pages and from clients that send no Origin "
                        + "(curl, scripts). Behind a proxy with another address, add it to sharkfin.security.allowed-origins.",
                        Map.of());
                return;
            }
        }
        if (!keys.required()) {
            chain.doFilter(new Authenticated(request, OPEN), response);
            return;
        }
        Credentials c = credentials(request);
        if (isPublic(path)) {
            chain.doFilter(c.holder.<HttpServletRequest>map(h -> new Authenticated(request, h)).orElse(request), response);
            return;
        }
        if (c.holder.isEmpty()) {
            refuse(request, response, path, method, c);
            return;
        }
        ApiKeys.Holder holder = c.holder.get();
        if (!holder.role().permits(method)) {
            Problems.send(request, response, 403, "Read-only key", "The key " + holder.name() + " has the role read: it may "
                    + "GET and HEAD only. " + method + " " + path + " needs a key with the role full (sharkfin.security.api-key, "
                    + "or sharkfin.security.keys with role: full).", Map.of("role", holder.role().label()));
            return;
        }
        chain.doFilter(new Authenticated(request, holder), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String path, String method,
            Credentials c) throws IOException {
        if (!c.headerKey && (method.equals("GET") || method.equals("HEAD")) && !isApi(path)) {
            String query = request.getQueryString();
            String next = request.getRequestURI() + (query == null ? "" : "?" + query);
            // Relative, as the browser resolves it against the address it used (sendRedirect would spell out the Host).
            response.setStatus(HttpServletResponse.SC_FOUND);
            response.setHeader("Location", "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            return;
        }
        response.setHeader("WWW-Authenticate", "ApiKey realm=\"Sharkfin\"");
        String title = c.headerKey ? "Unknown API key" : c.cookie ? "Login ended" : "API key required";
        String detail = c.headerKey
                ? "The key sent " + c.note + " is none of Sharkfin's keys (sharkfin.security.api-key, sharkfin.security.keys). " + HOW
                : c.cookie
                ? "The login cookie is unknown or has expired (a login lasts sharkfin.security.login-lifetime and ends when "
                        + "Sharkfin restarts). " + HOW
                : "This Sharkfin requires an API key" + (c.note == null ? "" : " (" + c.note + ")") + ". " + HOW;
        Problems.send(request, response, 401, title, detail, Map.of("login", "/login"));
    }

    private Credentials credentials(HttpServletRequest request) {
        String key = request.getHeader(HEADER);
        if (key != null) {
            return new Credentials(true, false, keys.match(key.strip()), "in X-API-Key");
        }
        String authorization = request.getHeader("Authorization");
        String note = null;
        if (authorization != null) {
            String a = authorization.strip();
            int space = a.indexOf(' ');
            if (space > 0 && a.substring(0, space).equalsIgnoreCase("ApiKey")) {
                return new Credentials(true, false, keys.match(a.substring(space + 1).strip()), "in Authorization: ApiKey");
            }
            note = "the Authorization scheme " + (space > 0 ? a.substring(0, space) : a) + " is not accepted: use ApiKey";
        }
        Cookie cookie = WebUtils.getCookie(request, LoginSessions.COOKIE);
        if (cookie != null) {
            return new Credentials(false, true, sessions.find(cookie.getValue()), note);
        }
        return new Credentials(false, false, Optional.empty(), note);
    }

    /** The path as the servlet container decoded and normalised it (no '..', no ';' parameters). */
    private static String path(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletPath() + (info == null ? "" : info);
    }

    private static boolean isPublic(String path) {
        return path.equals("/login") || path.equals("/logout") || path.equals("/actuator/health")
                || path.startsWith("/actuator/health/");
    }

    /** Machine endpoints: without a key they answer 401, never a redirect to the login page. */
    private static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/") || path.startsWith("/v3/api-docs") || path.startsWith("/actuator");
    }

    /** The request as its caller: the principal is the key's holder, never the key. */
    static final class Authenticated extends HttpServletRequestWrapper {
        private final ApiKeys.Holder holder;

        Authenticated(HttpServletRequest request, ApiKeys.Holder holder) {
            super(request);
            this.holder = holder;
        }

        @Override
        public Principal getUserPrincipal() {
            return holder::name;
        }

        @Override
        public String getRemoteUser() {
            return holder.name();
        }

        @Override
        public String getAuthType() {
            return "ApiKey";
        }

        @Override
        public boolean isUserInRole(String role) {
            return role != null && (role.equalsIgnoreCase(holder.role().name()) || (holder.role() == Role.FULL
                    && role.equalsIgnoreCase(Role.READ.name())));
        }
    }
}
