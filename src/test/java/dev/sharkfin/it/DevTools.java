package dev.sharkfin.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Headless Chromium driven through its DevTools protocol, as much as a test needs to act on a page (a click) rather
 * than only read it ({@code --dump-dom}): open a URL, evaluate a script that may await, answer its string result.
 */
final class DevTools {
    private DevTools() {
    }

    /** Opens {@code url} and answers what {@code expression} (a promise of a string, or a string) gives. */
    static String evaluate(String chromium, String url, String expression) throws Exception {
        Path profile = Files.createTempDirectory("sharkfin-chromium");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile, url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String ws = pageSocket(http, port(profile), url);
            BlockingQueue<String> replies = new LinkedBlockingQueue<>();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
                final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        replies.add(text.toString());
                        text.setLength(0);
                    }
                    w.request(1);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            try {
                // The page may still be replacing the blank one it started as: evaluate again in the new one.
                JsonNode reply = null;
                for (int id = 1; id <= 5; id++) {
                    ObjectNode call = Api.JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
                    call.putObject("params").put("expression", expression).put("awaitPromise", true).put("returnByValue", true);
                    socket.sendText(Api.JSON.writeValueAsString(call), true).get(10, TimeUnit.SECONDS);
                    reply = Api.JSON.readTree(replies.poll(60, TimeUnit.SECONDS));
                    JsonNode value = reply.at("/result/result/value");
                    if (!value.isMissingNode()) {
                        return value.asText();
                    }
                    if (!reply.at("/error/message").asText().contains("context was destroyed")) {
                        break;
                    }
                    Thread.sleep(200);
                }
                throw new AssertionError("the page's script failed: " + reply);
            } finally {
                socket.abort();
            }
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The DevTools port Chromium chose, from the file it writes into its profile. */
    private static int port(Path profile) throws IOException, InterruptedException {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).strip());
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Chromium wrote no DevToolsActivePort within 60 s");
    }

    private static String pageSocket(HttpClient http, int port, String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode t : Api.JSON.readTree(r.body())) {
                if (t.path("type").asText().equals("page") && t.path("url").asText().startsWith(url)) {
                    return t.get("webSocketDebuggerUrl").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Chromium opened no page at " + url);
    }
}
