package dev.sharkfin.dissect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The protocols declare themselves: the registry is built from their own bindings, finds every decoder of
 * the package, and refuses contradictory declarations at start-up with both protocols named.
 */
class ProtocolsTest {
    static final class Stub implements Decoder {
        @Override
        public int decode(Cursor c, Packet p) {
            return Dispatch.STOP;
        }
    }

    @Test
    void aSecondProtocolOnTheSamePortIsRefusedNamingBoth() {
        Protocol dns = Protocol.of("dnsx", "Domain Name System").udpPort(53, new Stub());
        Protocol other = Protocol.of("otherx", "Another protocol").udpPort(53, new Stub());
        assertThatThrownBy(() -> new DecoderRegistry(List.of(dns, other)))
                .isInstanceOf(DecoderRegistry.ConflictingProtocolsException.class)
                .hasMessageContaining("dnsx (Domain Name System)")
                .hasMessageContaining("otherx (Another protocol)")
                .hasMessageContaining("UDP port 53");
    }

    @Test
    void everyKindOfBindingConflicts() {
        assertThatThrownBy(() -> new DecoderRegistry(List.of(Protocol.of("a", "A").ethertype(0x0800, new Stub()),
                Protocol.of("b", "B").ethertype(0x0800, new Stub())))).hasMessageContaining("ethertype 0x0800");
        assertThatThrownBy(() -> new DecoderRegistry(List.of(Protocol.of("a", "A").tcpPort(443, new Stub()).tcpPort(443, new Stub()))))
                .hasMessageContaining("a (A) and a (A) both bind TCP port 443");
        assertThatThrownBy(() -> new DecoderRegistry(List.of(Protocol.of("a", "A").tcpHeuristic(1, c -> true, new Stub()),
                Protocol.of("b", "B").tcpHeuristic(1, c -> false, new Stub())))).hasMessageContaining("TCP heuristic (tried first)");
        assertThatThrownBy(() -> new DecoderRegistry(List.of(Protocol.of("a", "A").layers("x"), Protocol.of("b", "B").layers("x"))))
                .hasMessageContaining("a (A) and b (B) both write the document object x");
        assertThatThrownBy(() -> new DecoderRegistry(List.of(Protocol.of("a", "A"), Protocol.of("a", "Again"))))
                .hasMessageContaining("Two protocols are named a");
    }

    @Test
    void aFieldDeclaredTwiceOrALayerNotDeclaredFails() {
        Protocol p = Protocol.of("a", "A");
        p.number("a.x", "X");
        assertThatThrownBy(() -> p.number("a.x", "X again")).hasMessageContaining("declares the field a_x twice");
        assertThatThrownBy(() -> p.layer("b")).hasMessageContaining("does not declare the layer b");
    }

    @Test
    void theDefaultRegistryIsBuiltFromTheDeclarationsOfThisPackage() {
        assertThat(Catalog.protocols()).extracting(Protocol::name)
                .contains("frame", "_ws", "data", "eth", "ip", "ipv6", "tcp", "udp", "dns", "http", "tls", "pppoe", "llc")
                .doesNotHaveDuplicates()
                .isSorted();
        DecoderRegistry r = DecoderRegistry.DEFAULT;
        assertThat(r.lookup(Dispatch.link(1))).isInstanceOf(Ethernet.class);
        assertThat(r.lookup(Dispatch.ethertype(0x86dd))).isInstanceOf(Ipv6.class);
        assertThat(r.lookup(Dispatch.ipProto(6))).isInstanceOf(Tcp.class);
        assertThat(r.lookup(r.byPort(Dispatch.UDP_PORT, 5353, 5353))).isInstanceOf(Dns.class);
        assertThat(r.lookup(r.byPort(Dispatch.TCP_PORT, 50000, 443))).isInstanceOf(Tls.class);
        assertThat(r.lookup(Ethernet.BY_NAME)).isInstanceOf(Ethernet.class);
        assertThat(r.supportsLinkType(65535)).isTrue();
        assertThat(r.supportsLinkType(147)).isFalse();
    }

    /** A decoder file without a protocol, or a protocol without a way to its decoder, would be dead code. */
    @Test
    void everyDecoderOfThePackageIsBoundAndEveryBoundDecoderDeclaresItsProtocol() throws IOException, ClassNotFoundException {
        Set<Class<?>> bound = new HashSet<>();
        Catalog.protocols().forEach(p -> p.bindings().forEach(b -> bound.add(b.decoder.getClass())));
        Set<Class<?>> decoders = new HashSet<>();
        try (Stream<Path> files = Files.list(Path.of("target/classes/dev/sharkfin/dissect"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = f.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName("dev.sharkfin.dissect." + name, false, getClass().getClassLoader());
                if (Decoder.class.isAssignableFrom(c) && !c.isInterface()) {
                    decoders.add(c);
                }
            }
        }
        assertThat(bound).containsExactlyInAnyOrderElementsOf(decoders);
    }

    @Test
    void everyLayerADocumentHasIsDeclaredAndEveryFieldKeyIsItsWiresharkName() {
        Set<String> layers = new HashSet<>();
        for (Protocol p : Catalog.protocols()) {
            layers.addAll(p.layers());
            for (Field f : p.fields()) {
                assertThat(f.protocol()).isSameAs(p);
                if (!f.sharkfinOnly()) {
                    assertThat(f.key()).as(f.wireshark()).isEqualTo(f.wireshark().replace('.', '_'));
                }
            }
        }
        assertThat(layers).contains("frame", "_ws", "data", "mdns", "llmnr", "pppoed", "pppoes", "pwethcw", "raw", "icmpv6");
        assertThat(Catalog.byPath("mdns.dns_a")).containsSame(Dns.A);
        assertThat(Catalog.byWireshark("tcp.analysis.bytes_in_flight")).containsSame(Tcp.ANALYSIS_BYTES_IN_FLIGHT);
        assertThat(Catalog.byWireshark("nflog.res_id")).containsSame(Nflog.RES_ID);
        // frame_time_out_of_range is Sharkfin's own: Wireshark's frame.time_invalid means something else.
        assertThat(Catalog.byWireshark("frame.time_invalid")).isEmpty();
        assertThat(Tcp.STREAM.path()).isEqualTo("tcp.tcp_stream");
        assertThat(Dns.QRY_NAME.paths()).containsExactly("dns.dns_qry_name", "mdns.dns_qry_name", "llmnr.dns_qry_name");
    }
}
