package io.mailbridge.cluster;

import java.net.InetAddress;
import java.time.Instant;

/**
 * Who this replica is, for operators: {@code mail.cluster.replica-id} (default {@code <hostname>-<pid>}),
 * where it runs, since when, and where its health and metrics answer (null when the management server is
 * off). Logs, the heartbeat row, health details and metrics name the replica by {@link #id}.
 */
public record ReplicaIdentity(String id, String host, long pid, Instant started, String managementUrl) {

    /** This process, named {@code configuredId} or, when that is blank, {@code <hostname>-<pid>}. */
    static ReplicaIdentity of(String configuredId, String managementUrl) {
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        String id = configuredId == null || configuredId.isBlank() ? host + "-" + pid : configuredId.trim();
        return new ReplicaIdentity(id, host, pid, Instant.now(), managementUrl);
    }

    /** The host name, as in a container's HOSTNAME; "localhost" when the machine does not know its own name. */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** A management URL on a wildcard address names this host instead, so another machine can reach it. */
    static String reachable(String url) {
        return url == null ? null : url.replace("//0.0.0.0:", "//" + hostName() + ":").replace("//[::]:", "//" + hostName() + ":");
    }
}
