package io.nmstream.executor.nm;

import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.NetworkState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The host's {@code net.mptcp.enabled}, which MPTCP address flags need: NetworkManager configures the endpoints only while
 * it is on and leaves it to the administrator (as nmstate does, which refuses the flags while it is off). Read from this
 * process's network namespace, NetworkManager's on a host.
 */
final class MptcpSysctl {

    private static final Path ENABLED = Path.of("/proc/sys/net/mptcp/enabled");

    private MptcpSysctl() {
    }

    /** Refuses {@code desired} when an interface gives MPTCP address flags and the host has MPTCP off or lacks it. */
    static void check(NetworkState desired) {
        InterfaceSpec wanting = desired.interfaces().stream()
            .filter(i -> i.mptcpAddressFlags() != null && !i.mptcpAddressFlags().isEmpty()).findFirst().orElse(null);
        if (wanting == null) {
            return;
        }
        String value;
        try {
            value = Files.readString(ENABLED).trim();
        } catch (NoSuchFileException e) {
            throw new InvalidStateException("Interface " + wanting.name() + ": mptcp.address-flags need MPTCP, which this host's "
                + "kernel lacks (no " + ENABLED + ")");
        } catch (IOException e) {
            throw new InvalidStateException("Interface " + wanting.name() + ": mptcp.address-flags need MPTCP, and " + ENABLED
                + " cannot be read: " + e.getMessage());
        }
        if (!value.equals("1")) {
            throw new InvalidStateException("Interface " + wanting.name() + ": mptcp.address-flags need MPTCP enabled on the host, "
                + "and net.mptcp.enabled is " + value + "; NetworkManager does not enable it: set it with sysctl first");
        }
    }
}
