package dev.sharkfin.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The browser's way in: a browser cannot add X-API-Key to a navigation, so {@code POST /login} takes a key from a
 * form and answers a cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Path=/}, {@code Secure} over HTTPS)
 * that {@link AccessFilter} accepts like the key. Without any key configured there is nothing to log into: both
 * lead to the page asked for.
 */
@Controller
@Hidden
class LoginController {
    /** Where to go after the login: a path of this site only (no scheme, no '//' and no backslash or control). */
    private static final Pattern LOCAL_PATH = Pattern.compile(
            "/(?![/\\\\])(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*");

    private final ApiKeys keys;
    private final LoginSessions sessions;
    private final SecurityProperties props;
    private final String template;

    LoginController(ApiKeys keys, LoginSessions sessions, SecurityProperties props) {
        this.keys = keys;
        this.sessions = sessions;
        this.props = props;
        try {
            template = new ClassPathResource("pages/login.html").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("pages/login.html is missing from the class path", e);
        }
    }

    @GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(@RequestParam(name = "next", required = false) String next,
            @RequestParam(name = "out", required = false) String loggedOut) {
        if (!keys.required()) {
            return seeOther(local(next));
        }
        String message = loggedOut != null ? "Logged out." : "This Sharkfin needs an API key.";
        return page(HttpStatus.OK, message, "", local(next));
    }

    @PostMapping(path = "/login", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> login(@RequestParam(name = "key", required = false) String key,
            @RequestParam(name = "next", required = false) String next, HttpServletRequest request) {
        String to = local(next);
        if (!keys.required()) {
            return seeOther(to);
        }
        Optional<ApiKeys.Holder> holder = key == null ? Optional.empty() : keys.match(key.strip());
        if (holder.isEmpty()) {
            return page(HttpStatus.UNAUTHORIZED, "That key is none of Sharkfin's keys (sharkfin.security.api-key, "
                    + "sharkfin.security.keys).", "error", to);
        }
        ResponseCookie cookie = cookie(sessions.create(holder.get()), props.loginLifetime(), request.isSecure());
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(to))
                .header(HttpHeaders.SET_COOKIE, cookie.toString()).build();
    }

    @PostMapping(path = "/logout")
    ResponseEntity<Void> logout(@CookieValue(name = LoginSessions.COOKIE, required = false) String token,
            HttpServletRequest request) {
        sessions.remove(token);
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(keys.required() ? "/login?out" : "/"))
                .header(HttpHeaders.SET_COOKIE, cookie("", Duration.ZERO, request.isSecure()).toString()).build();
    }

    static ResponseCookie cookie(String value, Duration maxAge, boolean secure) {
        return ResponseCookie.from(LoginSessions.COOKIE, value).httpOnly(true).sameSite("Strict").path("/")
                .secure(secure).maxAge(maxAge).build();
    }

    /** The page to go to after the login: {@code next} when it is a path of this site, else the home page. */
    static String local(String next) {
        return next != null && next.length() <= 2000 && LOCAL_PATH.matcher(next).matches() ? next : "/";
    }

    private ResponseEntity<String> page(HttpStatus status, String message, String tone, String next) {
        String html = template.replace("{{message}}", HtmlUtils.htmlEscape(message))
                .replace("{{tone}}", tone)
                .replace("{{next}}", HtmlUtils.htmlEscape(next));
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").body(html);
    }

    private static ResponseEntity<String> seeOther(String to) {
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(to)).build();
    }
}
