package dev.sharkfin.kibana;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@RequestMapping("/api/kibana")
@Tag(name = "Kibana", description = "The TCP congestion control dashboard and its Lens visualizations, into your Kibana")
class KibanaController {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KibanaClient client;
    private final JobLinks links;

    KibanaController(KibanaClient client, JobLinks links) {
        this.client = client;
        this.links = links;
    }

    @Operation(summary = "Import the saved objects into the configured Kibana",
            description = "Sends kibana/tcp-congestion.ndjson (a data view over packets-*, Lens visualizations and the "
                    + "dashboard 'TCP congestion control') to sharkfin.kibana.url's saved-objects import API with "
                    + "overwrite=true, and answers with Kibana's own summary (success, successCount, errors per object). "
                    + "Importing again replaces the objects. In a space other than the default, every id is "
                    + "'<id>--<space>', so that each space keeps its own fixed ids. Sharkfin adds dashboardUrl, the "
                    + "dashboard in that space. A summary with success=false (some objects refused) is "
                    + "still a 200: the errors say which and why.")
    @ApiResponse(responseCode = "200", description = "Kibana's import summary, with dashboardUrl: the dashboard in that space")
    @ApiResponse(responseCode = "400", description = "Not a space id", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "502", description = "Kibana cannot be reached or answered with an error; the problem names the URL",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "503", description = "No Kibana configured (sharkfin.kibana.url)",
            content = @Content(mediaType = "application/problem+json"))
    @PostMapping(path = "/import", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> importObjects(
            @Parameter(description = "Kibana space id; omitted: the default space") @RequestParam(name = "space", required = false) String space) {
        KibanaClient.ImportResult r = client.importSavedObjects(space);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(withDashboardUrl(r.summary(), space));
    }

    /** Kibana's summary with the dashboard's URL in that space; a summary that is not an object, unchanged. */
    private String withDashboardUrl(String summary, String space) {
        try {
            JsonNode s = JSON.readTree(summary);
            if (s instanceof ObjectNode o) {
                o.put("dashboardUrl", links.dashboardUrl(space));
                return JSON.writeValueAsString(o);
            }
            return summary;
        } catch (JsonProcessingException e) {
            return summary;
        }
    }
}
