package io.nmstream.nmstate;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A flag of nmstate's {@code mptcp.address-flags}: how the kernel's MPTCP path manager uses an interface's addresses as
 * endpoints (ip-mptcp(8)). NetworkManager gives every address of the interface the same flags, from the profile's
 * {@code connection.mptcp-flags} bits.
 */
public enum MptcpAddressFlag {
    /** The address is announced to peers (ADD_ADDR), which may open subflows to it. */
    SIGNAL("signal", 0x10),
    /** Additional subflows are opened from the address. */
    SUBFLOW("subflow", 0x20),
    /** Subflows from the address are backups, used when the others are down. */
    BACKUP("backup", 0x40),
    /** A subflow is opened from the address to every address the peer announces. */
    FULLMESH("fullmesh", 0x80);

    /** {@code connection.mptcp-flags}: no endpoints for the interface's addresses. */
    public static final long NM_DISABLED = 0x1;
    /** {@code connection.mptcp-flags}: endpoints even without a default route, which nmstate sets with any flag. */
    public static final long NM_ALSO_WITHOUT_DEFAULT_ROUTE = 0x8;

    private final String nmstateName;
    private final long nmFlag;

    MptcpAddressFlag(String nmstateName, long nmFlag) {
        this.nmstateName = nmstateName;
        this.nmFlag = nmFlag;
    }

    public String nmstateName() {
        return nmstateName;
    }

    /**
     * The {@code connection.mptcp-flags} bits for {@code flags}, as nmstate writes them: an empty list disables MPTCP on
     * the interface; any flag also asks for endpoints without a default route, a restriction nmstate does not expose.
     */
    public static long nmFlags(Collection<MptcpAddressFlag> flags) {
        if (flags.isEmpty()) {
            return NM_DISABLED;
        }
        long bits = NM_ALSO_WITHOUT_DEFAULT_ROUTE;
        for (MptcpAddressFlag flag : flags) {
            bits |= flag.nmFlag;
        }
        return bits;
    }

    /**
     * The address flags {@code connection.mptcp-flags} holds: none when it disables MPTCP; null when it names none (0 and
     * "enabled" alone leave them to NetworkManager's configuration).
     */
    public static List<MptcpAddressFlag> fromNmFlags(long bits) {
        if ((bits & NM_DISABLED) != 0) {
            return List.of();
        }
        List<MptcpAddressFlag> flags = Arrays.stream(values()).filter(f -> (bits & f.nmFlag) != 0).toList();
        return flags.isEmpty() ? null : flags;
    }

    /** {@code flags} as nmstate lists them, {@code [signal, backup]}; "unset" for null. */
    public static String describe(List<MptcpAddressFlag> flags) {
        return flags == null ? "unset" : flags.stream().map(MptcpAddressFlag::nmstateName).toList().toString();
    }

    /** nmstate's names, in its order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(MptcpAddressFlag::nmstateName).toList();
    }

    /** The flag nmstate writes as {@code text}; throws when there is none. */
    public static MptcpAddressFlag fromNmstate(String text) {
        for (MptcpAddressFlag flag : values()) {
            if (flag.nmstateName.equals(text)) {
                return flag;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an MPTCP address flag (" + String.join(", ", names()) + ")");
    }
}
