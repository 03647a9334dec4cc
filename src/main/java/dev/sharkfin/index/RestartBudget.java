package dev.sharkfin.index;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many times a dead node may be started again: at most {@code max} restarts within any {@code window}. Each
 * granted restart is counted at the instant it was asked for; thread-safe.
 */
final class RestartBudget {
    private final int max;
    private final Duration window;
    /** When each restart within the window happened, oldest first; guarded by this. */
    private final Deque<Instant> restarts = new ArrayDeque<>();

    RestartBudget(int max, Duration window) {
        this.max = max;
        this.window = window;
    }

    /** Counts a restart at {@code now} and says yes, or says no when the budget of the window is spent. */
    synchronized boolean take(Instant now) {
        while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(window))) {
            restarts.removeFirst();
        }
        if (restarts.size() >= max) {
            return false;
        }
        restarts.addLast(now);
        return true;
    }
}
