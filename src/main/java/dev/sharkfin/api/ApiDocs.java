package dev.sharkfin.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/** What Swagger UI (/swagger-ui.html) says about the API as a whole, with its Authorize button for the API key. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Sharkfin", version = "0.1.0", description = """
        Packet captures into Elasticsearch, one index per upload or live capture, with TCP analysis that agrees \
        with Wireshark. Upload a pcap or pcapng (gzipped or not), or start a live capture on an interface \
        (POST /api/captures/live); poll the job until it has ended, then search its index (packets-<job id>), \
        open its built-in page (viewUrl) or its Kibana dashboard (dashboardUrl), or download its capture \
        (pcapUrl). Errors are application/problem+json. With API keys configured (sharkfin.security.api-key, \
        sharkfin.security.keys), every endpoint needs one: X-API-Key: <key> or Authorization: ApiKey <key> \
        (401 without a key or with a wrong one; 403 for a read-only key on anything but GET and HEAD). A request \
        that changes something and carries another site's Origin is refused with 403."""),
        security = @SecurityRequirement(name = ApiDocs.API_KEY))
@SecurityScheme(name = ApiDocs.API_KEY, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "X-API-Key", description = "One of sharkfin.security.api-key / sharkfin.security.keys (role read: "
                + "GET and HEAD only). Not needed when no key is configured.")
class ApiDocs {
    static final String API_KEY = "apiKey";
}
