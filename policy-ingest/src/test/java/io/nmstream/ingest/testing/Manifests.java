package io.nmstream.ingest.testing;

import io.nmstream.ingest.manifest.ManifestParser;
import io.nmstream.ingest.manifest.PolicyManifest;

/** Small valid NNCP manifests for tests, varied by the fields tests change. */
public final class Manifests {

    private Manifests() {
    }

    /** A policy setting eth1's MTU on nodes with {@code role=<role>}. */
    public static String ethernetMtu(String name, int mtu) {
        return """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata:
              name: %s
            spec:
              nodeSelector:
                node-role.kubernetes.io/worker: ""
              desiredState:
                interfaces:
                - name: eth1
                  type: ethernet
                  state: up
                  mtu: %d
            """.formatted(name, mtu);
    }

    /** The parsed, validated form of {@link #ethernetMtu}. */
    public static PolicyManifest parsedEthernetMtu(String name, int mtu) {
        ManifestParser.Result result = new ManifestParser().parse(name + ".yaml", ethernetMtu(name, mtu));
        if (!result.valid()) {
            throw new AssertionError(result.problems());
        }
        return result.policies().get(0);
    }
}
