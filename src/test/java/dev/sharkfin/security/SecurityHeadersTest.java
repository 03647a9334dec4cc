package dev.sharkfin.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The Content-Security-Policy's hashes are the ones a browser computes, and the pages hold nothing inline that
 * the policy would block (the browser tests show the pages work under it).
 */
class SecurityHeadersTest {
    /** What no hash can allow without 'unsafe-hashes': event-handler and style attributes, javascript: URLs. */
    static final Pattern BLOCKED_INLINE = Pattern.compile("<[a-z][^>]*\\s(on[a-z]+|style)\\s*=|javascript:", Pattern.CASE_INSENSITIVE);

    @Test
    void hashesAsTheCspSpecComputesThem() {
        // The example of CSP Level 3, section "hash-source".
        assertThat(SecurityHeaders.hash("alert('Hello, world.');")).isEqualTo("'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='");
    }

    @Test
    void hashesInlineBlocksOnlyAndAsTheParserSeesThem() {
        Set<String> scripts = new LinkedHashSet<>();
        Set<String> styles = new LinkedHashSet<>();
        SecurityHeaders.collect("<script src=\"/webjars/x.js\"></script>\r\n<SCRIPT>\r\nlet a = 1;\r\n</SCRIPT>"
                + "<style media=\"screen\">b { }</style>", scripts, styles);
        assertThat(scripts).containsExactly(SecurityHeaders.hash("\nlet a = 1;\n"));
        assertThat(styles).containsExactly(SecurityHeaders.hash("b { }"));
    }

    @Test
    void everyPageHasItsBlocksInThePolicyAndNothingElseInline() throws IOException {
        String policy = new SecurityHeaders().policy();
        assertThat(policy).contains("script-src 'self' 'sha256-").contains("style-src 'self' 'sha256-")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        Resource[] pages = new PathMatchingResourcePatternResolver().getResources("classpath*:pages/*.html");
        assertThat(pages).extracting(Resource::getFilename).contains("home.html", "job.html", "login.html");
        for (Resource page : pages) {
            String html = page.getContentAsString(StandardCharsets.UTF_8);
            Set<String> scripts = new LinkedHashSet<>();
            Set<String> styles = new LinkedHashSet<>();
            SecurityHeaders.collect(html, scripts, styles);
            assertThat(styles).as(page.getFilename() + " has its style block").isNotEmpty();
            scripts.forEach(h -> assertThat(policy).as(page.getFilename()).contains(h));
            styles.forEach(h -> assertThat(policy).as(page.getFilename()).contains(h));
            assertThat(BLOCKED_INLINE.matcher(html).find()).as(page.getFilename() + ": " + (BLOCKED_INLINE.matcher(html).find()
                    ? html.substring(Math.max(0, matchAt(html) - 40), Math.min(html.length(), matchAt(html) + 40)) : "")
                    + " would be blocked by the CSP").isFalse();
        }
    }

    private static int matchAt(String html) {
        var m = BLOCKED_INLINE.matcher(html);
        return m.find() ? m.start() : 0;
    }
}
