package io.nmstream.executor.nm;

import io.nmstream.nmstate.InterfaceType;
import java.util.List;
import java.util.Locale;

/**
 * One step of an apply through NetworkManager: a profile to create, update, deactivate or delete.
 *
 * @param iface interface the profile is for
 * @param type the interface's type; null for a profile that has no interface of its own (the ovs-port between an
 *     ovs-bridge and one of its ports)
 * @param action what to do
 * @param settings the profile's new settings (for CREATE and UPDATE)
 * @param existing the profile as it is now; null for CREATE
 * @param activate whether to activate the profile after writing it
 */
public record ProfileChange(String iface, InterfaceType type, Action action, NmSettings settings, ExistingProfile existing,
                            boolean activate) {

    /** What happens to the profile. */
    public enum Action {
        CREATE, UPDATE, DEACTIVATE, DELETE
    }

    /**
     * Activation order: controllers first, then OVS ports, then plain interfaces, then the interfaces stacked on a base
     * interface (VLAN, MAC-VLAN, VXLAN).
     */
    public int rank() {
        if (type == null) {
            return 1;
        }
        return switch (type) {
            case BOND, LINUX_BRIDGE, VRF, OVS_BRIDGE -> 0;
            case VLAN, MAC_VLAN, VXLAN -> 3;
            default -> 2;
        };
    }

    /** The properties an update changes in the existing profile ({@link NmSettings#differences}); empty for other actions. */
    public List<String> changedProperties() {
        if (action != Action.UPDATE) {
            return List.of();
        }
        return settings.differences(NmSettingsTranslator.withoutDeprecatedForms(existing.settings()), NmSettingsTranslator.NM_DEFAULTS);
    }

    @Override
    public String toString() {
        return action.name().toLowerCase(Locale.ROOT) + " profile of " + iface;
    }
}
