package dev.sharkfin.kibana;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Plays Kibana on a free port: records every request, answers as told. */
final class KibanaStub implements AutoCloseable {
    record Request(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    record Answer(int status, String body, long delayMillis) {
        static Answer json(int status, String body) {
            return new Answer(status, body, 0);
        }
    }

    static final String SUCCESS = "{\"success\":true,\"successCount\":9,\"successResults\":[]}";
    static final String AVAILABLE = "{\"name\":\"kibana\",\"version\":{\"number\":\"9.2.8\"},\"status\":{\"overall\":{\"level\":\"available\",\"summary\":\"All services are available\"},\"core\":{}}}";
    static final String UNAVAILABLE = "{\"status\":{\"overall\":{\"level\":\"unavailable\",\"summary\":\"starting\"}}}";

    final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger statusPolls = new AtomicInteger();
    volatile Function<Request, Answer> imports = r -> Answer.json(200, SUCCESS);
    /** Status answers: "unavailable" for the first {@code unavailableFor} polls, then "available". */
    volatile int unavailableFor = 2;

    KibanaStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kibana-stub");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        String path = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        Request req = new Request(ex.getRequestMethod(), path, headers, ex.getRequestBody().readAllBytes());
        requests.add(req);
        Answer a;
        if (path.equals("/api/status")) {
            a = statusPolls.incrementAndGet() <= unavailableFor ? Answer.json(503, UNAVAILABLE) : Answer.json(200, AVAILABLE);
        } else if (path.contains("/api/saved_objects/_import")) {
            a = imports.apply(req);
        } else {
            a = Answer.json(404, "{\"statusCode\":404,\"error\":\"Not Found\",\"message\":\"Not Found\"}");
        }
        if (a.delayMillis() > 0) {
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        try {
            ex.sendResponseHeaders(a.status(), body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // the client gave up (timeout test)
        }
    }

    List<Request> imports() {
        return requests.stream().filter(r -> r.pathAndQuery().contains("/_import")).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
