package dev.sharkfin.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.context.annotation.Configuration;

/** What Swagger UI (/swagger-ui.html) says about the API as a whole. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Sharkfin", version = "0.1.0", description = """
        Packet captures into Elasticsearch, one index per upload or live capture, with TCP analysis that agrees \
        with Wireshark. Upload a pcap or pcapng (gzipped or not), or start a live capture on an interface \
        (POST /api/captures/live); poll the job until it has ended, then search its index (packets-<job id>), \
        open its built-in page (viewUrl) or its Kibana dashboard (dashboardUrl), or download its capture \
        (pcapUrl). Errors are application/problem+json."""))
class ApiDocs {
}
