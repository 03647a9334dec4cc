package dev.sharkfin.dissect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sharkfin.normalize.DocumentWriter;
import dev.sharkfin.normalize.JsonOut;

/** Dissects one frame and gives back the document Sharkfin would index, parsed, plus the packet. */
public record Decoded(Packet packet, JsonNode doc) {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int ETHERNET = 1;

    public static Decoded of(int linkType, byte[] frame) {
        return of(linkType, frame, frame.length, frame.length);
    }

    public static Decoded of(int linkType, byte[] frame, int captured, int original) {
        Packet p = new Packet();
        p.reset(1, 1_700_000_000_123_456_789L, frame, captured, original, linkType);
        new Dissector().dissect(p);
        Dissector.writeExperts(p);
        JsonOut out = new JsonOut();
        new DocumentWriter().write(p, out);
        try {
            return new Decoded(p, JSON.readTree(out.toByteArray()));
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + out, e);
        }
    }

    public JsonNode layer(String name) {
        return doc.get(name);
    }

    public String expert() {
        JsonNode ws = doc.get("_ws");
        JsonNode m = ws == null ? null : ws.get("_ws_expert_message");
        return m == null ? null : m.isArray() ? m.get(0).asText() : m.asText();
    }

    public String malformed() {
        JsonNode ws = doc.get("_ws");
        return ws == null || ws.get("_ws_malformed_reason") == null ? null : ws.get("_ws_malformed_reason").asText();
    }
}
