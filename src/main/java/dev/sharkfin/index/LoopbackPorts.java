package dev.sharkfin.index;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports on 127.0.0.1 for the node: a free one, or a fixed one checked free so a clash is said in words. */
final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** A port free now (the node binds it a moment later). */
    static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code port}, if free; a port taken by something else fails here, in words, rather than in Elasticsearch's bind error. */
    static int checkFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return port;
        } catch (IOException e) {
            throw new EmbeddedElasticsearchException("Port " + port + " on 127.0.0.1 is in use by another process "
                    + "(another Elasticsearch? 'ss -ltnp sport = :" + port + "' names it): stop it, or choose another "
                    + "port with sharkfin.elasticsearch.embedded.port=<port> (0: any free one).");
        }
    }
}
