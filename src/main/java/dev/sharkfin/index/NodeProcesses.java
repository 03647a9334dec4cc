package dev.sharkfin.index;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stopping the node's processes: politely first (SIGTERM), then by force after {@value #GRACE_SECONDS} s. The node
 * is a child of its launcher and may outlive it for a few seconds, holding the port and the data folder's lock.
 */
final class NodeProcesses {
    static final long GRACE_SECONDS = 30;

    private NodeProcesses() {
    }

    /** Stops a node whose launcher already exited; nothing when it is null or gone. */
    static void stop(ProcessHandle node) {
        if (node == null || !node.isAlive()) {
            return;
        }
        node.destroy();
        try {
            node.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            node.destroyForcibly();
        }
    }

    /** Stops the launcher, its descendants and the node (when known and not among them), and waits for them. */
    static void stopAll(Process launcher, ProcessHandle node) {
        List<ProcessHandle> children = new ArrayList<>(launcher.descendants().toList());
        if (node != null && !children.contains(node)) {
            children.add(node);
        }
        launcher.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!launcher.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
            }
            for (ProcessHandle c : children) {
                c.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
