package dev.sharkfin.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** The rules without a server: keys at start-up, key matching, origins, where a login may lead. */
class AccessRulesTest {
    static final String FULL = "full-key-0123456789abcdef";
    static final String READ = "read-key-0123456789abcdef";

    static SecurityProperties props(String apiKey, List<SecurityProperties.Key> keys, List<String> origins) {
        return new SecurityProperties(apiKey, keys, Duration.ofHours(1), origins);
    }

    @Test
    void keysMatchWithTheirRolesAndNothingElseDoes() {
        ApiKeys keys = new ApiKeys(props(FULL, List.of(new SecurityProperties.Key(READ, Role.READ)), List.of()));
        assertThat(keys.required()).isTrue();
        assertThat(keys.match(FULL)).hasValueSatisfying(h -> {
            assertThat(h.role()).isEqualTo(Role.FULL);
            assertThat(h.name()).isEqualTo("api-key").doesNotContain(FULL);
        });
        assertThat(keys.match(READ)).hasValueSatisfying(h -> assertThat(h.role()).isEqualTo(Role.READ));
        assertThat(keys.match(FULL + "x")).isEmpty();
        assertThat(keys.match(FULL.substring(1))).isEmpty();
        assertThat(keys.match("")).isEmpty();
        assertThat(keys.describe()).isEqualTo("1 full, 1 read-only");
        assertThat(new ApiKeys(props(null, List.of(), List.of())).required()).isFalse();
    }

    @Test
    void badKeysStopTheStartWithThePropertyToFix() {
        assertThatThrownBy(() -> new ApiKeys(props("", List.of(), List.of())))
                .hasMessageContaining("sharkfin.security.api-key is set but empty");
        assertThatThrownBy(() -> new ApiKeys(props("short", List.of(), List.of())))
                .hasMessageContaining("sharkfin.security.api-key is 5 characters long").hasMessageContaining("at least 16");
        assertThatThrownBy(() -> new ApiKeys(props(null, List.of(new SecurityProperties.Key(READ, null)), List.of())))
                .hasMessageContaining("sharkfin.security.keys[0].role is missing");
        assertThatThrownBy(() -> new ApiKeys(props(FULL, List.of(new SecurityProperties.Key(FULL, Role.READ)), List.of())))
                .hasMessageContaining("sharkfin.security.keys[0] repeats a key");
    }

    @Test
    void readMayOnlyGetAndHead() {
        assertThat(Role.READ.permits("GET")).isTrue();
        assertThat(Role.READ.permits("HEAD")).isTrue();
        for (String m : List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
            assertThat(Role.READ.permits(m)).as(m).isFalse();
            assertThat(Role.FULL.permits(m)).as(m).isTrue();
        }
    }

    @Test
    void ownOriginAndConfiguredOnesMayWriteOthersMayNot() {
        Origins origins = new Origins(props(null, List.of(), List.of("https://sharkfin.example.org")));
        assertThat(origins.foreign(request(null, null))).as("curl sends no Origin").isNull();
        assertThat(origins.foreign(request("http://127.0.0.1:8080", "same-origin"))).isNull();
        assertThat(origins.foreign(request("HTTP://127.0.0.1:8080", null))).isNull();
        assertThat(origins.foreign(request("https://sharkfin.example.org", "cross-site"))).isNull();
        assertThat(origins.foreign(request("https://sharkfin.example.org:443", null))).isNull();
        assertThat(origins.foreign(request("http://evil.example", "cross-site"))).isEqualTo("http://evil.example");
        assertThat(origins.foreign(request("http://127.0.0.1:8081", "same-site"))).as("another port").isNotNull();
        assertThat(origins.foreign(request("https://127.0.0.1:8080", null))).as("another scheme").isNotNull();
        assertThat(origins.foreign(request("null", null))).as("an opaque origin").isEqualTo("null");
        assertThat(origins.foreign(request(null, "cross-site"))).contains("Sec-Fetch-Site: cross-site");
        assertThatThrownBy(() -> new Origins(props(null, List.of(), List.of("sharkfin.example.org/path"))))
                .hasMessageContaining("sharkfin.security.allowed-origins");
    }

    @Test
    void aLoginLeadsOnlyToAPathOfThisSite() {
        assertThat(LoginController.local("/jobs/20261126-111530-5c0a9e?stream=2")).isEqualTo("/jobs/20261126-111530-5c0a9e?stream=2");
        assertThat(LoginController.local("/swagger-ui/index.html")).isEqualTo("/swagger-ui/index.html");
        for (String bad : new String[] {null, "", "https://evil.example/", "//evil.example", "/\\evil.example", "/\t/evil.example",
                "/%zz", "javascript:alert(1)", "/a\"><script>"}) {
            assertThat(LoginController.local(bad)).as(String.valueOf(bad)).isEqualTo("/");
        }
    }

    @Test
    void theCookieIsHttpOnlyStrictAndSecureOverHttps() {
        assertThat(LoginController.cookie("t", Duration.ofHours(12), false).toString())
                .contains("sharkfin_login=t").contains("Path=/").contains("HttpOnly").contains("SameSite=Strict")
                .doesNotContain("Secure");
        assertThat(LoginController.cookie("t", Duration.ofHours(12), true).toString()).contains("Secure");
    }

    private static MockHttpServletRequest request(String origin, String site) {
        MockHttpServletRequest r = new MockHttpServletRequest("POST", "/api/captures");
        r.setScheme("http");
        r.setServerName("127.0.0.1");
        r.setServerPort(8080);
        if (origin != null) {
            r.addHeader("Origin", origin);
        }
        if (site != null) {
            r.addHeader("Sec-Fetch-Site", site);
        }
        return r;
    }
}
