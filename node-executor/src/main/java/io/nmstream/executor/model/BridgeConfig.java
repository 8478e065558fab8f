package io.nmstream.executor.model;

import java.util.List;

/**
 * nmstate's {@code bridge} block of a linux-bridge.
 *
 * @param stpEnabled {@code options.stp.enabled}; null when not given
 * @param ports names of the port interfaces; null when not given, empty to release every port
 */
public record BridgeConfig(Boolean stpEnabled, List<String> ports) {

    public BridgeConfig {
        ports = ports == null ? null : List.copyOf(ports);
    }
}
