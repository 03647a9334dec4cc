package dev.sharkfin.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * The configured keys, checked at start-up (a key too short, blank, repeated or without a role stops Sharkfin
 * with the property to fix). A candidate is compared with every key, in time independent of where it differs:
 * both sides are hashed first, so lengths match, and {@link MessageDigest#isEqual} does not stop early.
 */
@Component
public class ApiKeys {
    /** A key shorter than this is refused at start-up: {@code openssl rand -hex 32} makes a good one. */
    static final int MIN_LENGTH = 16;

    /** Who presented a key: a name for logs and the principal, never the key itself. */
    public record Holder(String name, Role role) {
    }

    private record Entry(byte[] digest, Holder holder) {
    }

    private final List<Entry> entries = new ArrayList<>();

    ApiKeys(SecurityProperties props) {
        Set<String> seen = new HashSet<>();
        if (props.apiKey() != null) {
            add("sharkfin.security.api-key", props.apiKey(), Role.FULL, seen);
        }
        for (int i = 0; i < props.keys().size(); i++) {
            SecurityProperties.Key k = props.keys().get(i);
            String property = "sharkfin.security.keys[" + i + "]";
            if (k.role() == null) {
                throw new IllegalStateException(property + ".role is missing: set it to read (GET and HEAD only) or full");
            }
            add(property, k.key(), k.role(), seen);
        }
    }

    private void add(String property, String key, Role role, Set<String> seen) {
        if (key == null || key.isBlank()) {
            throw new IllegalStateException(property + " is set but empty: give it a key of at least " + MIN_LENGTH
                    + " characters (openssl rand -hex 32), or remove it to run without keys");
        }
        if (key.length() < MIN_LENGTH || !key.strip().equals(key)) {
            throw new IllegalStateException(property + " is " + key.length() + " characters long" + (key.strip().equals(key)
                    ? "" : " with spaces around it") + ": a key needs at least " + MIN_LENGTH
                    + " characters and no surrounding spaces (openssl rand -hex 32 makes one)");
        }
        if (!seen.add(key)) {
            throw new IllegalStateException(property + " repeats a key configured before it: every key must be different");
        }
        entries.add(new Entry(sha256(key), new Holder(property.replace("sharkfin.security.", ""), role)));
    }

    /** Whether any key is configured, so every request but a few needs one. */
    public boolean required() {
        return !entries.isEmpty();
    }

    /** The holder of the key, or empty when it is none of the configured ones. */
    Optional<Holder> match(String candidate) {
        byte[] digest = sha256(candidate);
        Holder found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest, digest) && found == null) {
                found = e.holder;
            }
        }
        return Optional.ofNullable(found);
    }

    /** For the start-up line: how many keys of each role. */
    String describe() {
        long full = entries.stream().filter(e -> e.holder.role() == Role.FULL).count();
        long read = entries.size() - full;
        return full + " full" + (read > 0 ? ", " + read + " read-only" : "");
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
