package dev.sharkfin.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java detection for the node, with stand-in JDK folders: a {@code release} file and an executable {@code bin/java}. */
class NodeJavaTest {
    @TempDir
    Path dir;

    private Path jdk(String name, String release) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name + "/bin"));
        Path java = Files.writeString(home.resolve("java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (release != null) {
            Files.writeString(dir.resolve(name + "/release"), "IMPLEMENTOR=\"x\"\n" + release + "\n");
        }
        return dir.resolve(name);
    }

    @Test
    void readsTheFeatureReleaseFromTheReleaseFile() throws Exception {
        assertThat(NodeJava.feature(jdk("a", "JAVA_VERSION=\"21.0.2\""))).isEqualTo(21);
        assertThat(NodeJava.feature(jdk("b", "JAVA_VERSION=\"17\""))).isEqualTo(17);
        assertThat(NodeJava.feature(jdk("c", "JAVA_VERSION=\"25-ea+3\""))).isEqualTo(25);
        assertThat(NodeJava.feature(jdk("d", "JAVA_VERSION=\"1.8.0_402\""))).as("Java 8 reads as 1: too old").isEqualTo(1);
        assertThat(NodeJava.feature(jdk("e", "JAVA_VERSION=\"banana\""))).as("unreadable: unknown").isZero();
        assertThat(NodeJava.feature(jdk("f", null))).as("no release file: unknown").isZero();
    }

    @Test
    void theRunningJvmIsKnownWithoutItsReleaseFile() {
        assertThat(NodeJava.feature(Path.of(System.getProperty("java.home")))).isEqualTo(Runtime.version().feature());
    }

    @Test
    void theConfiguredJavaComesFirstThenJavaHomeThenTheRunningJvm() throws Exception {
        Path configured = jdk("configured", "JAVA_VERSION=\"21.0.1\"");
        Path env = jdk("env", "JAVA_VERSION=\"22\"");
        assertThat(NodeJava.choose(configured, env.toString())).isEqualTo(configured);
        assertThat(NodeJava.choose(null, env.toString())).isEqualTo(env);
        assertThat(NodeJava.choose(null, " ")).isEqualTo(Path.of(System.getProperty("java.home")));
    }

    @Test
    void tooOldOrNotExecutableIsSkipped() throws Exception {
        Path old = jdk("old", "JAVA_VERSION=\"17.0.9\"");
        Path env = jdk("env", "JAVA_VERSION=\"21\"");
        assertThat(NodeJava.choose(old, env.toString())).isEqualTo(env);
        Path noJava = Files.createDirectories(dir.resolve("nojava"));
        Files.writeString(noJava.resolve("release"), "JAVA_VERSION=\"21\"\n");
        assertThat(NodeJava.choose(noJava, null)).isEqualTo(Path.of(System.getProperty("java.home")));
    }

    @Test
    void noneFoundSaysWhatItTriedAndWhatToSet() throws Exception {
        Path old = jdk("old", "JAVA_VERSION=\"17\"");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> NodeJava.firstFit(List.of(old, missing))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Java 21 or newer").hasMessageContaining(old.toString())
                .hasMessageContaining(missing.toString()).hasMessageContaining("sharkfin.elasticsearch.embedded.java-home");
    }

    @Test
    void candidatesInOrder() {
        Path running = Path.of(System.getProperty("java.home"));
        assertThat(NodeJava.candidates(Path.of("/c"), "/e")).containsExactly(Path.of("/c"), Path.of("/e"), running);
        assertThat(NodeJava.candidates(null, "")).containsExactly(running);
    }
}
