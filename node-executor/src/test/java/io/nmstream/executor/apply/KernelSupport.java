package io.nmstream.executor.apply;

import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel (and the host's tools) under a NetworkManager sandbox can do, found out by trying it inside the
 * sandbox's network namespace, so that a test asserts the outcome that is right for the machine it runs on instead of
 * being pinned to one kernel.
 */
final class KernelSupport {

    private KernelSupport() {
    }

    /**
     * Whether the kernel creates links of {@code kind} ({@code bond}, {@code vrf table 10}, {@code dummy}, ...): a probe
     * link is added in the sandbox's namespace and removed at once.
     *
     * @param base a link the probe is stacked on (for {@code vlan}), or null
     */
    static boolean createsLinks(NetworkManagerSandbox sandbox, String kind, String base) {
        String probe = "nmsprobe" + Long.toString(System.nanoTime() % 10_000, 36);
        List<String> add = new ArrayList<>(List.of("link", "add"));
        if (base != null) {
            add.addAll(List.of("link", base));
        }
        add.addAll(List.of("name", probe, "type"));
        add.addAll(List.of(kind.split(" ")));
        try {
            sandbox.ip(add.toArray(String[]::new));
        } catch (IllegalStateException refused) {
            return false;
        }
        sandbox.ip("link", "del", probe);
        return true;
    }

    /** Whether NetworkManager can manage Open vSwitch here: its OVS plugin is installed and an ovsdb-server is running. */
    static boolean hasOpenVswitch() {
        return pluginInstalled("libnm-device-plugin-ovs.so") && Files.exists(Path.of("/run/openvswitch/db.sock"));
    }

    /** Whether NetworkManager can apply DCB settings: it runs {@code dcbtool} (lldpad) and {@code fcoeadm} to do so. */
    static boolean hasDcbTools() {
        return onPath("dcbtool") && onPath("fcoeadm");
    }

    /**
     * Whether {@code iface} in the sandbox's namespace may be an SR-IOV physical function: a virtual link (a veth, say,
     * which {@code ip -d link} names) never is.
     */
    static boolean mayHaveSriov(NetworkManagerSandbox sandbox, String iface) {
        String details = sandbox.ip("-d", "link", "show", "dev", iface);
        return !details.contains("veth") && !details.contains("bridge") && !details.contains("macvlan");
    }

    private static boolean pluginInstalled(String plugin) {
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu/NetworkManager", "/usr/lib64/NetworkManager", "/usr/lib/NetworkManager",
            "/usr/lib/aarch64-linux-gnu/NetworkManager")) {
            Path root = Path.of(dir);
            if (Files.isDirectory(root)) {
                try (var files = Files.walk(root, 2)) {
                    if (files.anyMatch(f -> f.getFileName().toString().equals(plugin))) {
                        return true;
                    }
                } catch (java.io.IOException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
