package dev.sharkfin.capture;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** An interface libpcap can open, as {@code GET /api/interfaces} lists it. */
@Schema(description = "A network interface that live capture can open")
public record NetworkInterfaceInfo(
        @Schema(description = "libpcap's device name, the value for a live capture's 'interface'", example = "eth0") String name,
        @Schema(description = "libpcap's description, if any") String description,
        @Schema(description = "Its IPv4 and IPv6 addresses") List<String> addresses,
        @Schema(description = "Whether the interface is up") boolean up,
        @Schema(description = "Whether it is a loopback interface") boolean loopback) {
}
