package dev.sharkfin.dissect;

import static dev.sharkfin.dissect.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class HttpTest {
    private static Decoded segment(int sport, int dport, String payload) {
        return Decoded.of(Decoded.ETHERNET, ethernet("001122334455", "66778899aabb", 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6,
                tcp(sport, dport, 1, 1, PSH | ACK, 1000, new byte[0], payload.getBytes(StandardCharsets.ISO_8859_1)))));
    }

    @Test
    void theRequestAndStatusLinesAreWiresharksChatsWithTheirLineEndsEscaped() {
        assertThat(segment(51000, 80, "GET / HTTP/1.1\r\nHost: a\r\n\r\n").expert()).isEqualTo("GET / HTTP/1.1\\r\\n");
        assertThat(segment(80, 51000, "HTTP/1.0 404 Not Found\nServer: x\n\n").expert()).isEqualTo("HTTP/1.0 404 Not Found\\n");
        assertThat(segment(51000, 80, "GET /cut-by-the-segm").expert()).isEqualTo("GET /cut-by-the-segm");
    }

    @Test
    void ssdpIsHttpOverUdpInAnSsdpObject() {
        String search = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n\r\n";
        Decoded d = Decoded.of(Decoded.ETHERNET, ethernet("01005e7ffffa", "66778899aabb", 0x0800, ipv4("10.0.0.1",
                "239.255.255.250", 17, udp(50000, 1900, search.getBytes(StandardCharsets.ISO_8859_1)))));
        assertThat(d.expert()).isEqualTo("M-SEARCH * HTTP/1.1\\r\\n");
        assertThat(d.layer("ssdp").get("http_request_method").asText()).isEqualTo("M-SEARCH");
        assertThat(d.layer("ssdp").get("http_host").asText()).isEqualTo("239.255.255.250:1900");
        assertThat(d.layer("http")).isNull();
        assertThat(d.doc().get("frame").get("frame_protocols").asText()).isEqualTo("eth:ethertype:ip:udp:ssdp");
    }

    @Test
    void aLongChatLineIsCutAsWiresharksLabelBufferCutsIt() {
        String line = "GET /" + "a".repeat(300) + " HTTP/1.1";
        assertThat(segment(51000, 80, line + "\r\nHost: a\r\n\r\n").expert()).isEqualTo(line.substring(0, 239));
        String fits = "GET /" + "b".repeat(221) + " HTTP/1.1"; // 235 characters and the escaped line end: 239
        assertThat(segment(51000, 80, fits + "\r\n\r\n").expert()).isEqualTo(fits + "\\r\\n");
        String over = "GET /" + "c".repeat(222) + " HTTP/1.1"; // one more: the escaped end loses its last character
        assertThat(segment(51000, 80, over + "\r\n\r\n").expert()).isEqualTo(over + "\\r\\");
    }

    @Test
    void requestLineAndHeadersUpToTheBlankLine() {
        var http = segment(51000, 80, "GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent:  curl/8.0\r\n"
                + "content-length: 0\r\n\r\nHost: not-a-header\r\n").layer("http");
        assertThat(http.get("http_request").asBoolean()).isTrue();
        assertThat(http.get("http_request_method").asText()).isEqualTo("GET");
        assertThat(http.get("http_request_uri").asText()).isEqualTo("/index.html?q=1");
        assertThat(http.get("http_request_version").asText()).isEqualTo("HTTP/1.1");
        assertThat(http.get("http_host").asText()).isEqualTo("example.com"); // the body's line is not a header
        assertThat(http.get("http_user_agent").asText()).isEqualTo("curl/8.0");
        assertThat(http.get("http_content_length_header").asText()).isEqualTo("0");
        assertThat(http.get("http_content_length").asInt()).isZero();
    }

    @Test
    void uriPartsFullUriAndMoreRequestHeaders() {
        var http = segment(51000, 80, "GET /a/b?x=1&y=2 HTTP/1.1\r\nAccept: */*\r\nHost: example.com\r\n"
                + "Accept-Encoding: gzip\r\nAccept-Language: en\r\nCache-Control: no-cache\r\nHost: second\r\n\r\n").layer("http");
        assertThat(http.get("http_request_uri_path").asText()).isEqualTo("/a/b");
        assertThat(http.get("http_request_uri_query").asText()).isEqualTo("x=1&y=2");
        assertThat(http.get("http_request_full_uri").asText()).isEqualTo("http://example.com/a/b?x=1&y=2");
        assertThat(http.get("http_accept").asText()).isEqualTo("*/*");
        assertThat(http.get("http_accept_encoding").asText()).isEqualTo("gzip");
        assertThat(http.get("http_accept_language").asText()).isEqualTo("en");
        assertThat(http.get("http_cache_control").asText()).isEqualTo("no-cache");
        // Without a query there is no path or query field; without a Host header no full URI, as in Wireshark.
        var bare = segment(51000, 80, "GET /index.php HTTP/1.1\r\n\r\n").layer("http");
        assertThat(bare.get("http_request_uri_path")).isNull();
        assertThat(bare.get("http_request_uri_query")).isNull();
        assertThat(bare.get("http_request_full_uri")).isNull();
    }

    /** Wireshark 4.0 takes an absolute request URI, or a CONNECT's authority, as the full URI without the Host header. */
    @Test
    void anAbsoluteUriOrAConnectIsTheFullUriAsItIs() {
        var proxied = segment(51000, 80, "GET http://example.com//a?b=1 HTTP/1.1\r\nHost: example.com\r\n\r\n").layer("http");
        assertThat(proxied.get("http_request_full_uri").asText()).isEqualTo("http://example.com//a?b=1");
        var upper = segment(51000, 80, "GET HTTPS://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n").layer("http");
        assertThat(upper.get("http_request_full_uri").asText()).isEqualTo("HTTPS://example.com/");
        var connect = segment(51000, 80, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n").layer("http");
        assertThat(connect.get("http_request_full_uri").asText()).isEqualTo("example.com:443");
    }

    @Test
    void moreResponseHeaders() {
        var http = segment(80, 51000, "HTTP/1.1 200 OK\r\nDate: Thu, 13 May 2004 10:17:12 GMT\r\nLast-Modified: Tue, 11 May 2004\r\n"
                + "Content-Encoding: gzip\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n").layer("http");
        assertThat(http.get("http_date").asText()).isEqualTo("Thu, 13 May 2004 10:17:12 GMT");
        assertThat(http.get("http_last_modified").asText()).isEqualTo("Tue, 11 May 2004");
        assertThat(http.get("http_content_encoding").asText()).isEqualTo("gzip");
        assertThat(http.get("http_set_cookie").toString()).isEqualTo("[\"a=1\",\"b=2\"]");
    }

    @Test
    void statusLineAndResponseHeaders() {
        var http = segment(8080, 51000, "HTTP/1.0 404 Not Found\r\nContent-Type: text/html; charset=UTF-8\r\n"
                + "Server: test\r\n\r\n<html>").layer("http");
        assertThat(http.get("http_response").asBoolean()).isTrue();
        assertThat(http.get("http_response_version").asText()).isEqualTo("HTTP/1.0");
        assertThat(http.get("http_response_code").asInt()).isEqualTo(404);
        assertThat(http.get("http_response_phrase").asText()).isEqualTo("Not Found");
        assertThat(http.get("http_content_type").asText()).isEqualTo("text/html; charset=UTF-8");
        assertThat(http.get("http_server").asText()).isEqualTo("test");
    }

    @Test
    void headersCutByTheSegmentEndAreReadAsFarAsTheyGo() {
        var http = segment(51000, 3128, "POST /upload HTTP/1.1\r\nHost: exa").layer("http");
        assertThat(http.get("http_request_method").asText()).isEqualTo("POST");
        assertThat(http.get("http_host").asText()).isEqualTo("exa");
    }

    @Test
    void continuationSegmentAddsNothing() {
        Decoded d = segment(80, 51000, "<html><body>rest of a body</body></html>");
        assertThat(d.layer("http")).isNull();
        assertThat(d.malformed()).isNull();
    }

    @Test
    void anyPortByWiresharksHeuristicWhenTheFirstLineIsHttp() {
        assertThat(segment(51000, 9999, "GET / HTTP/1.1\r\nHost: h\r\n\r\n").layer("http").get("http_host").asText()).isEqualTo("h");
        assertThat(segment(51000, 9999, "GET / HTTP/1.1").layer("http")).isNull(); // no complete line
        assertThat(segment(51000, 9999, "hello world\r\n").layer("http")).isNull();
    }

    @Test
    void badStatusCodeIsMalformed() {
        Decoded d = segment(80, 51000, "HTTP/1.1 2x0 OK\r\n\r\n");
        assertThat(d.malformed()).contains("status");
        assertThat(d.layer("http").get("http_response_version").asText()).isEqualTo("HTTP/1.1");
    }
}
