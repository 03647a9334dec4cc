package dev.sharkfin.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The headers every answer carries. The pages ({@code classpath:pages/*.html}) stay self-contained, with inline
 * {@code <script>} and {@code <style>}: the Content-Security-Policy allows exactly those blocks by their SHA-256,
 * computed here from the pages themselves at start-up, and nothing inline besides (no {@code 'unsafe-inline'}: an
 * injected script, event-handler attribute or {@code style} attribute does not run). Everything else must come
 * from Sharkfin itself (Chart.js from its WebJar). Swagger UI alone gets {@code style-src 'unsafe-inline'}: its
 * bundle adds {@code <style>} elements as it renders; its scripts are held to {@code 'self'} like everything's.
 */
@Component
class SecurityHeaders {
    /** An inline script (one without src) or style block, and its text exactly as the browser hashes it. */
    private static final Pattern INLINE = Pattern.compile(
            "<(script|style)((?:\\s[^>]*)?)>(.*?)</\\1\\s*>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern SRC = Pattern.compile("\\ssrc\\s*=", Pattern.CASE_INSENSITIVE);

    private final String policy;
    private final String swaggerPolicy = policy(Set.of(), Set.of("'unsafe-inline'"));

    SecurityHeaders() {
        Set<String> scripts = new LinkedHashSet<>();
        Set<String> styles = new LinkedHashSet<>();
        try {
            for (Resource page : new PathMatchingResourcePatternResolver().getResources("classpath*:pages/*.html")) {
                collect(page.getContentAsString(StandardCharsets.UTF_8), scripts, styles);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the pages under classpath:pages/ could not be read for their CSP hashes", e);
        }
        policy = policy(scripts, styles);
    }

    /** The policy for pages with these inline script and style hashes ('sha256-...'). */
    static String policy(Set<String> scripts, Set<String> styles) {
        return "default-src 'self'; script-src 'self'" + join(scripts) + "; style-src 'self'" + join(styles)
                + "; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                + "frame-ancestors 'none'";
    }

    /** Adds the hashes of the page's inline script and style blocks to the sets. */
    static void collect(String html, Set<String> scripts, Set<String> styles) {
        // The HTML parser turns CR LF and lone CR into LF before the browser hashes a block's text.
        String text = html.replace("\r\n", "\n").replace('\r', '\n');
        Matcher m = INLINE.matcher(text);
        while (m.find()) {
            boolean script = m.group(1).equalsIgnoreCase("script");
            if (script && SRC.matcher(m.group(2)).find()) {
                continue;
            }
            (script ? scripts : styles).add(hash(m.group(3)));
        }
    }

    static String hash(String block) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(block.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(d) + "'";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String policy() {
        return policy;
    }

    /** Sets the headers; {@code path} as the container decoded it. */
    void apply(String path, HttpServletResponse response) {
        boolean swagger = path.startsWith("/swagger-ui/") || path.equals("/swagger-ui.html");
        response.setHeader("Content-Security-Policy", swagger ? swaggerPolicy : policy);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "same-origin");
    }

    private static String join(Set<String> hashes) {
        return hashes.isEmpty() ? "" : " " + String.join(" ", hashes);
    }
}
