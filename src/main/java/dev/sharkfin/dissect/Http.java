package dev.sharkfin.dissect;

import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.x request and status lines and headers, from the TCP segment that starts with them: Sharkfin
 * does not reassemble TCP, so a segment that continues a message (a body, or headers split across
 * segments) adds nothing, and headers stop at the segment's end. Decoding stops at the blank line that
 * ends the headers; bodies are not decoded. SSDP (HTTP over UDP port 1900, Wireshark's ssdp) is read the same
 * way into an ssdp object with the same http.* fields.
 */
public final class Http implements Decoder {
    private static final Http DECODER = new Http("http");
    public static final Protocol PROTOCOL = Protocol.of("http", "Hypertext Transfer Protocol").layers("http", "ssdp")
            .udpPort(1900, new Http("ssdp"))
            .tcpPort(80, DECODER)
            .tcpPort(8080, DECODER)
            .tcpPort(8000, DECODER)
            .tcpPort(3128, DECODER)
            .tcpHeuristic(2, Http::looksLikeHttp, DECODER);
    public static final Field REQUEST = PROTOCOL.bool("http.request", "The segment starts a request");
    public static final Field REQUEST_METHOD = PROTOCOL.keyword("http.request.method", "Request method (GET, POST, ...)");
    public static final Field REQUEST_URI = PROTOCOL.keyword("http.request.uri", "Request URI, as on the request line");
    public static final Field REQUEST_VERSION = PROTOCOL.keyword("http.request.version", "Request version (HTTP/1.1)");
    public static final Field REQUEST_URI_PATH = PROTOCOL.keyword("http.request.uri.path", "Request URI: the path before the query (when there is a query)");
    public static final Field REQUEST_URI_QUERY = PROTOCOL.keyword("http.request.uri.query", "Request URI: the query, after the first '?'");
    public static final Field REQUEST_FULL_URI = PROTOCOL.keyword("http.request.full_uri", "http:// with the Host header and the request URI (when the segment holds the Host header)");
    public static final Field RESPONSE = PROTOCOL.bool("http.response", "The segment starts a response");
    public static final Field RESPONSE_VERSION = PROTOCOL.keyword("http.response.version", "Response version (HTTP/1.1)");
    public static final Field RESPONSE_CODE = PROTOCOL.number("http.response.code", "Response status code");
    public static final Field RESPONSE_PHRASE = PROTOCOL.keyword("http.response.phrase", "Response reason phrase");
    public static final Field HOST = PROTOCOL.keyword("http.host", "Host header");
    public static final Field SERVER = PROTOCOL.keyword("http.server", "Server header");
    public static final Field COOKIE = PROTOCOL.text("http.cookie", "Cookie header");
    public static final Field REFERER = PROTOCOL.keyword("http.referer", "Referer header");
    public static final Field LOCATION = PROTOCOL.keyword("http.location", "Location header");
    public static final Field USER_AGENT = PROTOCOL.text("http.user_agent", "User-Agent header");
    public static final Field CONNECTION = PROTOCOL.keyword("http.connection", "Connection header");
    public static final Field CONTENT_TYPE = PROTOCOL.keyword("http.content_type", "Content-Type header");
    public static final Field CONTENT_LENGTH_HEADER = PROTOCOL.keyword("http.content_length_header", "Content-Length header, as text");
    public static final Field CONTENT_LENGTH = PROTOCOL.number("http.content_length", "Content-Length header, as a number (when it is one)");
    public static final Field TRANSFER_ENCODING = PROTOCOL.keyword("http.transfer_encoding", "Transfer-Encoding header");
    public static final Field CONTENT_ENCODING = PROTOCOL.keyword("http.content_encoding", "Content-Encoding header");
    public static final Field ACCEPT = PROTOCOL.keyword("http.accept", "Accept header");
    public static final Field ACCEPT_ENCODING = PROTOCOL.keyword("http.accept_encoding", "Accept-Encoding header");
    public static final Field ACCEPT_LANGUAGE = PROTOCOL.keyword("http.accept_language", "Accept-Language header");
    public static final Field CACHE_CONTROL = PROTOCOL.keyword("http.cache_control", "Cache-Control header");
    public static final Field DATE = PROTOCOL.keyword("http.date", "Date header, as text");
    public static final Field LAST_MODIFIED = PROTOCOL.keyword("http.last_modified", "Last-Modified header, as text");
    public static final Field SET_COOKIE = PROTOCOL.text("http.set_cookie", "Set-Cookie header, per header");
    // Request/response matching per TCP conversation, written after dissection by tcp.Transactions.
    public static final Field REQUEST_NUMBER = PROTOCOL.number("http.request_number",
            "Requests: which request of the TCP conversation this is, from 1");
    public static final Field RESPONSE_NUMBER = PROTOCOL.number("http.response_number",
            "Responses: which request/response pair of the TCP conversation this answers, from 1");
    public static final Field REQUEST_IN = PROTOCOL.number("http.request_in",
            "Responses: the frame of the request answered (the conversation's latest, if not answered yet)");
    public static final Field TIME = PROTOCOL.seconds("http.time", "Responses: seconds since the request answered");
    public static final Field PREV_REQUEST_IN = PROTOCOL.number("http.prev_request_in",
            "The frame of the conversation's request before this message's pair");
    public static final Field PREV_RESPONSE_IN = PROTOCOL.number("http.prev_response_in",
            "Responses: the frame of the conversation's response before this one");
    public static final Field RESPONSE_FOR_URI = PROTOCOL.keyword("http.response_for.uri",
            "Responses: the full URI of the conversation's latest request");

    /** Request methods Wireshark recognizes (HTTP, WebDAV, UPnP), as on the wire. */
    private static final String[] METHODS = {"GET", "PUT", "POST", "HEAD", "COPY", "LOCK", "MOVE", "POLL", "MKCOL",
            "TRACE", "LABEL", "MERGE", "PATCH", "DELETE", "SEARCH", "UNLOCK", "REPORT", "UPDATE", "NOTIFY", "BCOPY", "BMOVE",
            "CHECKIN", "OPTIONS", "CONNECT", "BDELETE", "CHECKOUT", "PROPFIND", "M-SEARCH", "SUBSCRIBE", "PROPPATCH",
            "BPROPFIND", "BPROPPATCH", "UNCHECKOUT", "MKACTIVITY", "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT",
            "RPC_IN_DATA", "RPC_OUT_DATA", "VERSION-CONTROL", "BASELINE-CONTROL", "ORDERPATCH"};

    /** The document object: http, or ssdp for HTTP over UDP. */
    private final String layer;

    private Http(String layer) {
        this.layer = layer;
    }

    @Override
    public int decode(Cursor c, Packet p) {
        String uri = null;
        boolean absolute = false;
        int n = c.remaining();
        int eol = lineEnd(c, 0, n);
        // A first line cut by the segment's end is read as far as it goes, as Wireshark does without reassembly.
        int lineLen = eol < 0 ? n : eol;
        if (lineLen >= 5 && is(c, 0, "HTTP/")) {
            int sp1 = indexOf(c, ' ', 0, lineLen);
            if (sp1 < 0) {
                return Dispatch.STOP;
            }
            p.layer(layer);
            p.bool(RESPONSE, true);
            p.string(RESPONSE_VERSION, text(c, 0, sp1));
            if (sp1 + 4 <= lineLen && digits(c, sp1 + 1, 3) && (sp1 + 4 == lineLen || c.u8(sp1 + 4) == ' ')) {
                p.uint(RESPONSE_CODE, (c.u8(sp1 + 1) - '0') * 100 + (c.u8(sp1 + 2) - '0') * 10 + (c.u8(sp1 + 3) - '0'));
                if (sp1 + 5 < lineLen) {
                    p.string(RESPONSE_PHRASE, text(c, sp1 + 5, lineLen));
                }
                p.expert(chat(c, lineLen, eol));
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
            p.layer(layer);
            p.bool(REQUEST, true);
            String method = text(c, 0, sp1);
            p.string(REQUEST_METHOD, method);
            uri = text(c, sp1 + 1, sp2 < 0 ? lineLen : sp2);
            p.string(REQUEST_URI, uri);
            absolute = isAbsolute(method, uri);
            int query = uri.indexOf('?');
            if (query >= 0) {
                p.string(REQUEST_URI_PATH, uri.substring(0, query));
                p.string(REQUEST_URI_QUERY, uri.substring(query + 1));
            }
            if (sp2 >= 0 && sp2 + 1 < lineLen) {
                p.string(REQUEST_VERSION, text(c, sp2 + 1, lineLen));
            }
            p.expert(chat(c, lineLen, eol));
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
            String host = header(c, p, at, end < 0 ? n : end);
            if (host != null && uri != null) {
                // Wireshark's, from the first Host header; an absolute URI (or a CONNECT's) is the full URI as it is.
                p.string(REQUEST_FULL_URI, absolute ? uri : "http://" + host + uri);
                uri = null;
            }
            if (end < 0) {
                break;
            }
            at = next(c, end, n);
        }
        return Dispatch.STOP;
    }

    /**
     * Whether Wireshark 4.0 takes the request URI as the full URI as it is: an absolute URI (http:// or https://, in any
     * case) or a CONNECT's authority; any other is appended to http:// and the Host header.
     */
    static boolean isAbsolute(String method, String uri) {
        return uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8)
                || method.regionMatches(true, 0, "CONNECT", 0, 7);
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

    /** Writes a header Sharkfin knows; returns the value when it is the Host header, else null. */
    private static String header(Cursor c, Packet p, int at, int end) {
        int colon = indexOf(c, ':', at, end);
        if (colon < 0) {
            return null;
        }
        int v = colon + 1;
        while (v < end && (c.u8(v) == ' ' || c.u8(v) == '\t')) {
            v++;
        }
        Field key = switch (colon - at) {
            case 4 -> is(c, at, "host") ? HOST : is(c, at, "date") ? DATE : null;
            case 6 -> is(c, at, "server") ? SERVER : is(c, at, "cookie") ? COOKIE : is(c, at, "accept") ? ACCEPT : null;
            case 7 -> is(c, at, "referer") ? REFERER : null;
            case 8 -> is(c, at, "location") ? LOCATION : null;
            case 10 -> is(c, at, "user-agent") ? USER_AGENT : is(c, at, "connection") ? CONNECTION
                    : is(c, at, "set-cookie") ? SET_COOKIE : null;
            case 12 -> is(c, at, "content-type") ? CONTENT_TYPE : null;
            case 13 -> is(c, at, "cache-control") ? CACHE_CONTROL : is(c, at, "last-modified") ? LAST_MODIFIED : null;
            case 14 -> is(c, at, "content-length") ? CONTENT_LENGTH_HEADER : null;
            case 15 -> is(c, at, "accept-encoding") ? ACCEPT_ENCODING : is(c, at, "accept-language") ? ACCEPT_LANGUAGE : null;
            case 16 -> is(c, at, "content-encoding") ? CONTENT_ENCODING : null;
            case 17 -> is(c, at, "transfer-encoding") ? TRANSFER_ENCODING : null;
            default -> null;
        };
        if (key == null) {
            return null;
        }
        String value = text(c, v, end);
        p.string(key, value);
        if (key == CONTENT_LENGTH_HEADER) {
            long length = 0;
            boolean ok = v < end;
            for (int i = v; i < end && ok; i++) {
                int d = c.u8(i) - '0';
                ok = d >= 0 && d <= 9 && length < Long.MAX_VALUE / 10;
                length = length * 10 + d;
            }
            if (ok) {
                p.uint(CONTENT_LENGTH, length);
            }
        }
        return key == HOST ? value : null;
    }

    /**
     * Wireshark's chat for a request or status line: the line with its end as tshark escapes it
     * ({@code GET / HTTP/1.1\r\n}, a backslash and a letter for each of CR and LF).
     */
    private static String chat(Cursor c, int lineLen, int eol) {
        String line = text(c, 0, Math.min(lineLen, MAX_EXPERT));
        if (eol < 0 || line.length() >= MAX_EXPERT) {
            return cut(line);
        }
        boolean cr = c.u8(eol) == '\r';
        boolean crlf = cr && eol + 1 < c.remaining() && c.u8(eol + 1) == '\n';
        return cut(line + (crlf ? "\\r\\n" : cr ? "\\r" : "\\n"));
    }

    /**
     * The longest expert message Wireshark keeps: it formats one into a label buffer of 240 bytes (ITEM_LABEL_LENGTH),
     * so a longer chat line is cut after 239 (tshark shows a long request line without its end).
     */
    public static final int MAX_EXPERT = 239;

    private static String cut(String message) {
        return message.length() <= MAX_EXPERT ? message : message.substring(0, MAX_EXPERT);
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
