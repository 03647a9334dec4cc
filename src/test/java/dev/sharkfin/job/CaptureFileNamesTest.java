package dev.sharkfin.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The names captures are downloaded under. */
class CaptureFileNamesTest {

    private static JobStatus job(String id, String kind, String source) {
        return new JobStatus(id, kind, "succeeded", source, "packets-" + id, 0, 0, 0, 0, 24, 1, Instant.now(), null, null,
                null, null, null, List.of(), List.of());
    }

    @Test
    void anUploadKeepsItsNameWithoutCompressionOrCaptureExtension() {
        assertThat(CaptureFileNames.of(job("j", "upload", "transfer.pcap"), false)).isEqualTo("transfer.pcap");
        assertThat(CaptureFileNames.of(job("j", "upload", "transfer.PCAPNG.gz"), true)).isEqualTo("transfer.pcapng");
        assertThat(CaptureFileNames.of(job("j", "upload", "old.cap"), false)).isEqualTo("old.pcap");
        assertThat(CaptureFileNames.of(job("j", "upload", "notes.txt"), false)).isEqualTo("notes.txt.pcap");
    }

    @Test
    void unsafeCharactersBecomeUnderscores() {
        assertThat(CaptureFileNames.of(job("j", "upload", "my capture \"1\"/../x.pcap"), false))
                .isEqualTo("my_capture__1__.._x.pcap");
    }

    @Test
    void aNameWithNothingLeftIsNamedAfterTheJob() {
        assertThat(CaptureFileNames.of(job("20260101-000000-abcdef", "upload", ".pcap.gz"), false))
                .isEqualTo("capture-20260101-000000-abcdef.pcap");
    }

    @Test
    void aLiveCaptureIsNamedAfterTheJobAndItsInterface() {
        assertThat(CaptureFileNames.of(job("20260101-000000-abcdef", "live", "live:eth0"), true))
                .isEqualTo("sharkfin-20260101-000000-abcdef-eth0.pcapng");
        assertThat(CaptureFileNames.of(job("x", "live", "live:any vlan/1"), true)).isEqualTo("sharkfin-x-any_vlan_1.pcapng");
    }
}
