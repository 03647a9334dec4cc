package dev.sharkfin.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol with nothing but the JDK's WebSocket and Jackson:
 * navigate, evaluate JavaScript, put files in a file input, take screenshots. Every wait is bounded, and
 * {@link #close()} kills the browser's whole process tree and deletes its temporary profile.
 */
final class Cdp implements AutoCloseable {
    /** The longest any single command or wait may take unless told otherwise. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** What the page logged and threw, for failure messages. */
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());
    private WebSocket socket;

    private Cdp(Process process, Path profile, Path log) {
        this.process = process;
        this.profile = profile;
        this.log = log;
    }

    /** Starts headless Chromium on about:blank and attaches to its page. */
    static Cdp launch(String chromium) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("sharkfin-cdp");
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        Process p = new ProcessBuilder(chromium, "--headless", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Cdp cdp = new Cdp(p, profile, log);
        try {
            cdp.attach();
            return cdp;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            cdp.close();
            throw e;
        }
    }

    private void attach() throws IOException, InterruptedException {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String port = null;
        while (port == null) {
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    port = lines.get(0).strip();
                }
            }
            if (port == null) {
                if (!process.isAlive()) {
                    throw new AssertionError("chromium exited (" + process.exitValue() + ") before it listened: " + log());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("chromium wrote no DevToolsActivePort within " + TIMEOUT + ": " + log());
                }
                Thread.sleep(50);
            }
        }
        String wsUrl = null;
        while (wsUrl == null) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : Api.JSON.readTree(r.body())) {
                if ("page".equals(target.path("type").asText()) && target.hasNonNull("webSocketDebuggerUrl")) {
                    wsUrl = target.get("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (wsUrl == null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("chromium lists no page within " + TIMEOUT + ": " + r.body());
                }
                Thread.sleep(50);
            }
        }
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(wsUrl), new Listener()).join();
        send("Page.enable", null);
        send("Runtime.enable", null);
        // Whatever the Content-Security-Policy blocks shows in the console log, and in cspViolations().
        send("Page.addScriptToEvaluateOnNewDocument", params().put("source", "document.addEventListener("
                + "'securitypolicyviolation', e => console.error('" + CSP_VIOLATION + "' + e.effectiveDirective + ' blocked '"
                + " + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));"));
    }

    /** The prefix of a console line that reports a Content-Security-Policy violation. */
    static final String CSP_VIOLATION = "CSP violation: ";

    /** What the Content-Security-Policy blocked on the pages so far. */
    List<String> cspViolations() {
        return console().stream().filter(l -> l.contains(CSP_VIOLATION)).toList();
    }

    /** Collects a message's frames, answers commands and keeps what the page logs. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                dispatch(message);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failAll(new IllegalStateException("chromium closed the DevTools connection: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failAll(error);
        }
    }

    private void dispatch(String message) {
        JsonNode m;
        try {
            m = Api.JSON.readTree(message);
        } catch (IOException e) {
            return;
        }
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f != null) {
                f.complete(m);
            }
            return;
        }
        String method = m.path("method").asText();
        if (method.equals("Runtime.consoleAPICalled")) {
            StringBuilder line = new StringBuilder("console." + m.at("/params/type").asText() + ":");
            for (JsonNode arg : m.at("/params/args")) {
                line.append(' ').append(arg.has("value") ? arg.get("value").asText() : arg.path("description").asText());
            }
            console.add(line.toString());
        } else if (method.equals("Runtime.exceptionThrown")) {
            JsonNode d = m.at("/params/exceptionDetails");
            console.add("uncaught: " + d.path("exception").path("description").asText(d.path("text").asText()));
        }
    }

    private void failAll(Throwable t) {
        pending.values().forEach(f -> f.completeExceptionally(t));
        pending.clear();
    }

    /** Sends a command and answers its result; a CDP error fails. */
    JsonNode send(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode command = Api.JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            command.set("params", params);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            socket.sendText(command.toString(), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode m = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (m.has("error")) {
                throw new AssertionError("CDP " + method + " failed: " + m.get("error"));
            }
            return m.get("result");
        } catch (TimeoutException e) {
            throw new AssertionError("CDP " + method + " got no answer within " + TIMEOUT + "; page console: " + console());
        } catch (ExecutionException e) {
            throw new AssertionError("CDP " + method + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            pending.remove(id);
        }
    }

    static ObjectNode params() {
        return Api.JSON.createObjectNode();
    }

    /** Sets the viewport, in CSS pixels. */
    void viewport(int width, int height) {
        send("Emulation.setDeviceMetricsOverride", params().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    /** Navigates and waits until the document has loaded. */
    void navigate(String url) {
        JsonNode r = send("Page.navigate", params().put("url", url));
        if (r.hasNonNull("errorText")) {
            throw new AssertionError("navigating to " + url + " failed: " + r.get("errorText"));
        }
        await("document of " + url + " loaded",
                "location.href === " + Api.JSON.valueToTree(url) + " && document.readyState === 'complete'", TIMEOUT);
    }

    /**
     * Evaluates an expression in the page (awaiting a promise) and answers its value as JSON; null for undefined.
     * An exception in the page fails, with its message.
     */
    JsonNode eval(String expression) {
        JsonNode r = send("Runtime.evaluate", params().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true).put("userGesture", true));
        if (r.has("exceptionDetails")) {
            JsonNode d = r.get("exceptionDetails");
            throw new AssertionError("the page threw on `" + expression + "`: "
                    + d.path("exception").path("description").asText(d.path("text").asText()));
        }
        JsonNode value = r.path("result").get("value");
        return value == null ? Api.JSON.nullNode() : value;
    }

    String evalString(String expression) {
        JsonNode v = eval(expression);
        return v.isNull() ? null : v.asText();
    }

    /**
     * Polls an expression until it is truthy and answers its value.
     *
     * @param what    what is awaited, for the failure message
     * @param explain an expression whose value the failure message shows (what the page looks like), or null
     */
    JsonNode await(String what, String expression, Duration timeout, String explain) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode v = null;
            AssertionError failed = null;
            try {
                v = eval(expression);
            } catch (AssertionError e) {
                // a page being replaced (navigation) has no context to evaluate in for a moment
                failed = e;
            }
            if (truthy(v)) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                String state = "";
                if (explain != null) {
                    try {
                        state = "; the page shows: " + eval(explain);
                    } catch (AssertionError e) {
                        state = "; " + e.getMessage();
                    }
                }
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + ", in vain" + state
                        + (failed == null ? "" : "; last evaluation: " + failed.getMessage())
                        + "; page console: " + console(), failed);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    JsonNode await(String what, String expression, Duration timeout) {
        return await(what, expression, timeout, null);
    }

    private static boolean truthy(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNumber()) {
            return v.asDouble() != 0;
        }
        if (v.isTextual()) {
            return !v.asText().isEmpty();
        }
        return true;
    }

    /** Puts files into the {@code <input type=file>} the selector finds; Chromium fires its change event. */
    void setFiles(String selector, Path... files) {
        int root = send("DOM.getDocument", params().put("depth", 0)).at("/root/nodeId").asInt();
        int node = send("DOM.querySelector", params().put("nodeId", root).put("selector", selector)).path("nodeId").asInt();
        if (node == 0) {
            throw new AssertionError("no element matches " + selector);
        }
        ObjectNode p = params().put("nodeId", node);
        var list = p.putArray("files");
        for (Path f : files) {
            list.add(f.toAbsolutePath().toString());
        }
        send("DOM.setFileInputFiles", p);
    }

    /** A PNG of the viewport. */
    byte[] screenshot() {
        String data = send("Page.captureScreenshot", params().put("format", "png")).get("data").asText();
        return Base64.getDecoder().decode(data);
    }

    /** What the page logged and threw so far. */
    List<String> console() {
        synchronized (console) {
            return List.copyOf(console);
        }
    }

    private String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills Chromium's whole process tree and deletes its profile. */
    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle h : tree) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // gone or stuck: nothing more to do
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // temp file
        }
        // Chromium's last writes may land while it dies: delete twice.
        for (int attempt = 0; attempt < 2 && Files.exists(profile); attempt++) {
            try (var walk = Files.walk(profile)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException e) {
                // retry once
            }
        }
    }
}
