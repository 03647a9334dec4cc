package dev.sharkfin.dissect;

import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.x request and status lines and headers, from the TCP segment that starts with them: Sharkfin
 * does not reassemble TCP, so a segment that continues a message (a body, or headers split across
 * segments) adds nothing, and headers stop at the segment's end. Decoding stops at the blank line that
 * ends the headers; bodies are not decoded.
 */
final class Http implements Decoder {
    /** Request methods Wireshark recognizes (HTTP, WebDAV, UPnP), as on the wire. */
    private static final String[] METHODS = {"GET", "PUT", "POST", "HEAD", "COPY", "LOCK", "MOVE", "POLL", "MKCOL",
            "TRACE", "LABEL", "MERGE", "PATCH", "DELETE", "SEARCH", "UNLOCK", "REPORT", "UPDATE", "NOTIFY", "BCOPY", "BMOVE",
            "CHECKIN", "OPTIONS", "CONNECT", "BDELETE", "CHECKOUT", "PROPFIND", "M-SEARCH", "SUBSCRIBE", "PROPPATCH",
            "BPROPFIND", "BPROPPATCH", "UNCHECKOUT", "MKACTIVITY", "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT",
            "RPC_IN_DATA", "RPC_OUT_DATA", "VERSION-CONTROL", "BASELINE-CONTROL", "ORDERPATCH"};

    @Override
    public int decode(Cursor c, Packet p) {
        int n = c.remaining();
        int eol = lineEnd(c, 0, n);
        // A first line cut by the segment's end is read as far as it goes, as Wireshark does without reassembly.
        int lineLen = eol < 0 ? n : eol;
        if (lineLen >= 5 && is(c, 0, "HTTP/")) {
            int sp1 = indexOf(c, ' ', 0, lineLen);
            if (sp1 < 0) {
                return Dispatch.STOP;
            }
            p.layer("http");
            p.bool("http_response", true);
            p.string("http_response_version", text(c, 0, sp1));
            if (sp1 + 4 <= lineLen && digits(c, sp1 + 1, 3) && (sp1 + 4 == lineLen || c.u8(sp1 + 4) == ' ')) {
                p.uint("http_response_code", (c.u8(sp1 + 1) - '0') * 100 + (c.u8(sp1 + 2) - '0') * 10 + (c.u8(sp1 + 3) - '0'));
                if (sp1 + 5 < lineLen) {
                    p.string("http_response_phrase", text(c, sp1 + 5, lineLen));
                }
            } else {
                p.malformed("HTTP status line without a three-digit status code");
                return Dispatch.STOP;
            }
        } else {
            int sp1 = method(c, lineLen);
            if (sp1 < 0) {
                return Dispatch.STOP; // a continuation: body bytes or the rest of earlier headers
            }
            int sp2 = indexOf(c, ' ', sp1 + 1, lineLen);
            p.layer("http");
            p.bool("http_request", true);
            p.string("http_request_method", text(c, 0, sp1));
            p.string("http_request_uri", text(c, sp1 + 1, sp2 < 0 ? lineLen : sp2));
            if (sp2 >= 0 && sp2 + 1 < lineLen) {
                p.string("http_request_version", text(c, sp2 + 1, lineLen));
            }
        }
        if (eol < 0) {
            return Dispatch.STOP;
        }
        int at = next(c, eol, n);
        while (at < n) {
            int end = lineEnd(c, at, n);
            if (end == at) {
                break; // the blank line: end of headers
            }
            // A header line cut by the segment's end is shown as far as it goes.
            header(c, p, at, end < 0 ? n : end);
            if (end < 0) {
                break;
            }
            at = next(c, end, n);
        }
        return Dispatch.STOP;
    }

    /**
     * Wireshark's HTTP heuristic for a TCP payload no port claims: the first line is complete and starts
     * with {@code HTTP/1.} or ends with {@code HTTP/1.x}.
     */
    static boolean looksLikeHttp(Cursor c) {
        int n = c.remaining();
        int eol = lineEnd(c, 0, n);
        if (eol < 0 || eol == 8) {
            return false;
        }
        return (eol >= 7 && is(c, 0, "HTTP/1.")) || (eol >= 8 && is(c, eol - 8, "HTTP/1."));
    }

    /** The offset of the space after a known request method at the line's start, or -1. */
    private static int method(Cursor c, int len) {
        int i = 0;
        while (i < len && i < 20 && c.u8(i) != ' ') {
            i++;
        }
        if (i == 0 || i >= len || c.u8(i) != ' ' || c.u8(0) < 'A' || c.u8(0) > 'Z') {
            return -1;
        }
        for (String m : METHODS) {
            if (m.length() == i && exact(c, m)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean exact(Cursor c, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (c.u8(i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static void header(Cursor c, Packet p, int at, int end) {
        int colon = indexOf(c, ':', at, end);
        if (colon < 0) {
            return;
        }
        int v = colon + 1;
        while (v < end && (c.u8(v) == ' ' || c.u8(v) == '\t')) {
            v++;
        }
        String key = switch (colon - at) {
            case 4 -> is(c, at, "host") ? "http_host" : null;
            case 6 -> is(c, at, "server") ? "http_server" : is(c, at, "cookie") ? "http_cookie" : null;
            case 7 -> is(c, at, "referer") ? "http_referer" : null;
            case 8 -> is(c, at, "location") ? "http_location" : null;
            case 10 -> is(c, at, "user-agent") ? "http_user_agent" : is(c, at, "connection") ? "http_connection" : null;
            case 12 -> is(c, at, "content-type") ? "http_content_type" : null;
            case 14 -> is(c, at, "content-length") ? "http_content_length_header" : null;
            case 17 -> is(c, at, "transfer-encoding") ? "http_transfer_encoding" : null;
            default -> null;
        };
        if (key == null) {
            return;
        }
        p.string(key, text(c, v, end));
        if (key.equals("http_content_length_header")) {
            long length = 0;
            boolean ok = v < end;
            for (int i = v; i < end && ok; i++) {
                int d = c.u8(i) - '0';
                ok = d >= 0 && d <= 9 && length < Long.MAX_VALUE / 10;
                length = length * 10 + d;
            }
            if (ok) {
                p.uint("http_content_length", length);
            }
        }
    }

    /** The offset of the CR or LF that ends the line starting at {@code at}, or -1 when the line is cut. */
    private static int lineEnd(Cursor c, int at, int n) {
        for (int i = at; i < n; i++) {
            int b = c.u8(i);
            if (b == '\n' || b == '\r') {
                return i;
            }
        }
        return -1;
    }

    private static int next(Cursor c, int eol, int n) {
        if (c.u8(eol) == '\r' && eol + 1 < n && c.u8(eol + 1) == '\n') {
            return eol + 2;
        }
        return eol + 1;
    }

    private static int indexOf(Cursor c, int ch, int from, int to) {
        for (int i = from; i < to; i++) {
            if (c.u8(i) == ch) {
                return i;
            }
        }
        return -1;
    }

    private static boolean digits(Cursor c, int at, int count) {
        for (int i = at; i < at + count; i++) {
            if (c.u8(i) < '0' || c.u8(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Case-insensitive match of ASCII {@code s} at {@code at} ({@code s} in lower case, or not a letter). */
    private static boolean is(Cursor c, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            int b = c.u8(at + i);
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            int e = s.charAt(i);
            if (e >= 'A' && e <= 'Z') {
                e += 32;
            }
            if (b != e) {
                return false;
            }
        }
        return true;
    }

    private static String text(Cursor c, int from, int to) {
        return new String(c.data(), c.pos() + from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
    }
}
