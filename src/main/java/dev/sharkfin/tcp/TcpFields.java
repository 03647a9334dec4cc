package dev.sharkfin.tcp;

import dev.sharkfin.dissect.Packet;

/** Runs the TCP analysis on a dissected packet's TCP headers and appends its fields to their layers. */
public final class TcpFields {
    public void analyze(Packet p) {
        // filled in with the analyzer
    }
}
