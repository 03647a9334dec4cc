package dev.sharkfin.security;

/** What a key may do. */
public enum Role {
    /** GET and HEAD: list and read jobs, their streams and captures; never start, stop or cancel anything. */
    READ,
    /** Everything. */
    FULL;

    boolean permits(String method) {
        return this == FULL || "GET".equals(method) || "HEAD".equals(method);
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
