package dev.sharkfin.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.sharkfin.capture.CaptureRejectedException;

/**
 * A streaming reader of a multipart/form-data body (RFC 7578, RFC 2046 section 5.1): each part's content is an
 * {@link InputStream} read straight from the request body, so an uploaded file goes to the capture folder once,
 * without a copy in memory or in a temporary file first (Spring's multipart resolution, switched off, wrote every
 * upload to disk twice). Part headers are bounded ({@link #MAX_HEADER_BYTES}); a malformed body is a
 * {@link CaptureRejectedException.Reason#BAD_FORM} with what was wrong.
 */
final class MultipartForm {
    /** The most bytes of headers one part may have: room for a long file name, so that it can be named as the fault. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int BUFFER = 64 * 1024;

    /** One part: its form field name, its file name (null for a plain field) and its content, valid until the next part. */
    record Part(String name, String filename, InputStream content) {
    }

    private final InputStream in;
    /** CRLF "--" boundary: what ends a part's content. */
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int end;
    private boolean eof;
    /** The current part's content (or the preamble) has been read to its delimiter. */
    private boolean sectionEnded;
    private boolean closed;

    MultipartForm(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[BUFFER + delimiter.length];
        // The body starts with "--boundary", without the CRLF that precedes every later one: put one before it, and
        // the preamble (usually empty) is a section like any part's content.
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /** The boundary of a multipart Content-Type, unquoted; a missing or impossible one is a BAD_FORM. */
    static String boundary(String contentType) {
        String boundary = null;
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                boundary = p.substring("boundary=".length()).trim();
                if (boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
                    boundary = boundary.substring(1, boundary.length() - 1);
                }
            }
        }
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw bad("The multipart Content-Type has " + (boundary == null || boundary.isEmpty() ? "no boundary" : "a boundary over 70 characters")
                    + " (Content-Type: multipart/form-data; boundary=...).");
        }
        return boundary;
    }

    /** The next part, or null after the closing boundary. What is left of the current part's content is skipped. */
    Part next() throws IOException {
        if (closed) {
            return null;
        }
        byte[] skip = new byte[8192];
        while (readContent(skip, 0, skip.length) >= 0) {
            // the rest of the previous part, or the preamble
        }
        int a = readByte();
        int b = readByte();
        if (a == '-' && b == '-') {
            closed = true;
            return null;
        }
        while (a == ' ' || a == '\t') { // transport padding after a boundary
            a = b;
            b = readByte();
        }
        if (a != '\r' || b != '\n') {
            throw bad("A boundary line of the multipart body is not followed by a line break.");
        }
        String name = null;
        String filename = null;
        int headerBytes = 0;
        while (true) {
            String line = readLine(MAX_HEADER_BYTES - headerBytes);
            headerBytes += line.length() + 2;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                String[] nameAndFile = disposition(line.substring(colon + 1));
                name = nameAndFile[0];
                filename = nameAndFile[1];
            }
        }
        sectionEnded = false;
        return new Part(name, filename, new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int r = readContent(one, 0, 1);
                return r < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return readContent(b, off, len);
            }
        });
    }

    /** The current section's content up to its delimiter; -1 once there (the delimiter is consumed). */
    private int readContent(byte[] b, int off, int len) throws IOException {
        if (sectionEnded) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            int found = indexOfDelimiter();
            if (found == pos) {
                pos += delimiter.length;
                sectionEnded = true;
                return -1;
            }
            // Bytes before a delimiter, or that cannot be the start of one still arriving, are content.
            int safe = found >= 0 ? found - pos : end - pos - (delimiter.length - 1);
            if (safe > 0) {
                int n = Math.min(len, safe);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            if (!fill()) {
                throw bad("The multipart body ends inside a part, before its closing boundary: the upload was cut short.");
            }
        }
    }

    private int indexOfDelimiter() {
        int last = end - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != '\r') {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Reads more of the body into the buffer, keeping what was not consumed; false at its end. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }
        int r = in.read(buf, end, buf.length - end);
        if (r < 0) {
            eof = true;
            return false;
        }
        end += r;
        return true;
    }

    private int readByte() throws IOException {
        if (pos == end && !fill()) {
            throw bad("The multipart body ends before its closing boundary: the upload was cut short.");
        }
        return buf[pos++] & 0xff;
    }

    /** A header line (without its CRLF) of at most {@code max} bytes, as UTF-8 (browsers send file names so). */
    private String readLine(int max) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        while (true) {
            int c = readByte();
            if (c == '\r') {
                int n = readByte();
                if (n == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(c);
                c = n;
            }
            line.write(c);
            if (line.size() + 2 > max) {
                throw bad("The headers of a part of the multipart form are longer than " + (MAX_HEADER_BYTES / 1024) + " KB.");
            }
        }
    }

    /** The {@code name} and {@code filename} of a Content-Disposition value; {@code filename*} (RFC 5987) wins. */
    static String[] disposition(String value) {
        String name = null;
        String filename = null;
        String extended = null;
        for (String param : splitParams(value)) {
            int eq = param.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = param.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String v = unquote(param.substring(eq + 1).trim());
            switch (key) {
                case "name" -> name = v;
                case "filename" -> filename = v;
                case "filename*" -> extended = v;
                default -> {
                    // other parameters say nothing Sharkfin needs
                }
            }
        }
        if (extended != null) {
            int quote = extended.indexOf("''");
            if (quote >= 0) {
                try {
                    filename = URLDecoder.decode(extended.substring(quote + 2).replace("+", "%2B"), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    // a malformed filename*: keep the plain filename
                }
            }
        }
        return new String[] {name, filename};
    }

    /** Splits on semicolons outside quoted strings. */
    private static java.util.List<String> splitParams(String value) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\' && i + 1 < value.length()) {
                cur.append(c).append(value.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String unquote(String v) {
        if (v.length() < 2 || !v.startsWith("\"") || !v.endsWith("\"")) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 1; i < v.length() - 1; i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() - 1) {
                c = v.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    static CaptureRejectedException bad(String message) {
        return new CaptureRejectedException(CaptureRejectedException.Reason.BAD_FORM, message);
    }
}
