package dev.sharkfin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sharkfin.dissect.Catalog;
import dev.sharkfin.index.EmbeddedElasticsearch;

/** {@code GET /api/fields} lists the whole catalog, as Swagger documents it. */
@SharkfinIT
class FieldsApiTest {
    @LocalServerPort
    int port;

    @Autowired
    EmbeddedElasticsearch elasticsearch;

    @Test
    void everyCatalogFieldIsListedWithItsWiresharkNameTypeAndProtocol() {
        Api.Response r = new Api(port, elasticsearch.uri()).get("/api/fields");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode fields = r.body();
        assertThat(fields.size()).isEqualTo(Catalog.fields().size()).isGreaterThan(350);
        Map<String, JsonNode> byKey = new HashMap<>();
        fields.forEach(f -> assertThat(byKey.put(f.get("key").asText(), f)).as("one entry per field").isNull());

        JsonNode bif = byKey.get("tcp.tcp_analysis_bytes_in_flight");
        assertThat(bif.get("wireshark").asText()).isEqualTo("tcp.analysis.bytes_in_flight");
        assertThat(bif.get("type").asText()).isEqualTo("number");
        assertThat(bif.get("protocol").asText()).isEqualTo("tcp");
        assertThat(bif.get("sharkfinOnly").asBoolean()).isFalse();
        assertThat(bif.get("description").asText()).isNotBlank();

        JsonNode resid = byKey.get("nflog.nflog_res_id");
        assertThat(resid.get("sharkfinOnly").asBoolean()).isFalse();
        assertThat(resid.get("wireshark").asText()).isEqualTo("nflog.res_id");
        assertThat(byKey.get("_ws._ws_malformed_reason").get("sharkfinOnly").asBoolean()).isTrue();
        assertThat(byKey.get("_ws._ws_malformed_reason").get("wireshark").asText()).isEqualTo("_ws.expert.message");
        assertThat(byKey.get("frame.frame_time").get("type").asText()).isEqualTo("date");
        assertThat(byKey.get("dhcp.dhcp_option_router").get("type").asText()).isEqualTo("ip");
        assertThat(byKey.get("dhcp.dhcp_option_router").get("list").asBoolean()).isTrue();
        assertThat(byKey.get("dns.dns_a").get("paths")).extracting(JsonNode::asText)
                .containsExactly("dns.dns_a", "mdns.dns_a", "llmnr.dns_a");
        assertThat(byKey.get("pppoed.pppoe_session_id").get("protocol").asText()).isEqualTo("pppoe");
    }

    @Test
    void swaggerDocumentsTheEndpointAndItsSchema() {
        JsonNode docs = new Api(port, elasticsearch.uri()).get("/v3/api-docs").body();
        JsonNode get = docs.at("/paths/~1api~1fields/get");
        assertThat(get.isMissingNode()).isFalse();
        assertThat(get.get("summary").asText()).isEqualTo("Every field Sharkfin writes");
        String ref = get.at("/responses/200/content/application~1json/schema/items/$ref").asText();
        assertThat(ref).startsWith("#/components/schemas/");
        JsonNode schema = docs.at("/components/schemas/" + ref.substring("#/components/schemas/".length()) + "/properties");
        assertThat(schema.fieldNames()).toIterable()
                .contains("key", "paths", "wireshark", "type", "description", "protocol", "sharkfinOnly", "list");
        assertThat(schema.at("/type/enum")).extracting(JsonNode::asText).contains("number", "ip", "seconds", "text");
    }
}
