package io.nmstream.bench.host;

import io.nmstream.bench.BenchRun;
import io.nmstream.bench.Scenario;
import io.nmstream.bench.report.Measurement;
import io.nmstream.bench.report.Outcome;
import io.nmstream.bench.report.Percentiles;
import io.nmstream.executor.apply.ApplyContext;
import io.nmstream.executor.apply.ApplyRequest;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.executor.nm.NetworkManagerBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Host apply latency on a real NetworkManager (in its sandbox): a static IPv4 address plus an MTU on a veth, applied
 * the way {@code nmstream node apply} applies it (validate, checkpoint, apply, verify, probe, commit, through
 * {@link NodeApplier} over D-Bus, in this JVM so that JVM start-up is not counted), against the same change made with
 * {@code nmcli connection add} plus {@code nmcli connection up}. Each iteration alternates between two addresses and
 * MTUs, so that every apply really changes the interface.
 */
public final class HostApplyScenario implements Scenario {

    /** Longest accepted p50 of nmstream's apply. */
    static final double P50_TARGET_MILLIS = 150;
    /** The veth nmstream configures; nmcli configures another one, so that neither sees the other's profile. */
    static final String NMSTREAM_INTERFACE = "v0";
    static final String NMCLI_INTERFACE = "v2";
    static final String NMCLI_PROFILE = "nmstream-bench-nmcli";

    @Override
    public String name() {
        return "host-apply";
    }

    @Override
    public List<Measurement> run(BenchRun run) throws Exception {
        Path script = NmSandbox.locateScript(run.sandboxScript());
        Optional<String> unavailable = NmSandbox.unavailableReason(script);
        if (unavailable.isPresent()) {
            return List.of(Measurement.skipped(name(), "p50", "p50 <= 150 ms and <= nmcli", unavailable.get()),
                Measurement.skipped(name(), "p95", "-", unavailable.get()));
        }
        double[] nmstream;
        double[] nmcli;
        try (NmSandbox sandbox = NmSandbox.start(script)) {
            nmstream = nmstreamApplies(sandbox, run.hostWarmup(), run.hostIterations());
            nmcli = nmcliApplies(sandbox, run.hostWarmup(), run.hostIterations());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("iterations", run.hostIterations());
        details.put("warmup", run.hostWarmup());
        details.put("change", "static IPv4 /24 and MTU on a veth, alternating between two values");
        details.put("nmstream", "NodeApplier over D-Bus in the bench JVM: validate, checkpoint, apply, verify, probe, commit");
        details.put("baseline", "nmcli connection add + nmcli connection up (profile deleted between iterations, not timed)");
        details.put("nmstreamSamplesMillis", rounded(nmstream));
        details.put("nmcliSamplesMillis", rounded(nmcli));
        double p50 = Percentiles.of(nmstream, 50);
        double p50Nmcli = Percentiles.of(nmcli, 50);
        double p95 = Percentiles.of(nmstream, 95);
        double p95Nmcli = Percentiles.of(nmcli, 95);
        return List.of(
            new Measurement(name(), "p50", p50, p50Nmcli, "ms", "p50 <= 150 ms and <= nmcli",
                Outcome.of(p50 <= P50_TARGET_MILLIS && p50 <= p50Nmcli), details),
            new Measurement(name(), "p95", p95, p95Nmcli, "ms", "-", Outcome.NOT_JUDGED, Map.of()));
    }

    private static double[] nmstreamApplies(NmSandbox sandbox, int warmup, int iterations) {
        double[] samples = new double[iterations];
        try (NetworkManagerBackend nm = NetworkManagerBackend.connect(sandbox.busAddress())) {
            NodeApplier applier = new NodeApplier(nm);
            ApplyContext context = ApplyContext.manual("bench-host");
            for (int i = 0; i < warmup + iterations; i++) {
                var desired = NmstateParser.parse(String.format(Locale.ROOT, """
                    interfaces:
                    - name: %s
                      type: ethernet
                      state: up
                      mtu: %d
                      ipv4: {enabled: true, dhcp: false, address: [{ip: %s, prefix-length: 24}]}
                    """, NMSTREAM_INTERFACE, mtu(i), address("192.0.2", i)));
                long started = System.nanoTime();
                applier.apply(context, desired, ApplyRequest.defaults());
                long elapsed = System.nanoTime() - started;
                if (i >= warmup) {
                    samples[i - warmup] = elapsed / 1e6;
                }
            }
        }
        return samples;
    }

    private static double[] nmcliApplies(NmSandbox sandbox, int warmup, int iterations) throws Exception {
        double[] samples = new double[iterations];
        for (int i = 0; i < warmup + iterations; i++) {
            List<String> add = List.of("nmcli", "connection", "add", "type", "ethernet", "ifname", NMCLI_INTERFACE,
                "con-name", NMCLI_PROFILE, "ipv4.method", "manual", "ipv4.addresses", address("198.51.100", i) + "/24",
                "ethernet.mtu", Integer.toString(mtu(i)));
            List<String> up = List.of("nmcli", "connection", "up", NMCLI_PROFILE);
            long started = System.nanoTime();
            check(sandbox.run(add), add);
            check(sandbox.run(up), up);
            long elapsed = System.nanoTime() - started;
            List<String> delete = List.of("nmcli", "connection", "delete", NMCLI_PROFILE);
            check(sandbox.run(delete), delete);
            if (i >= warmup) {
                samples[i - warmup] = elapsed / 1e6;
            }
        }
        return samples;
    }

    private static void check(NmSandbox.Result result, List<String> command) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                + result.output().trim());
        }
    }

    private static int mtu(int iteration) {
        return iteration % 2 == 0 ? 1400 : 1450;
    }

    private static String address(String prefix, int iteration) {
        return prefix + "." + (iteration % 2 == 0 ? 10 : 11);
    }

    private static List<Double> rounded(double[] samples) {
        List<Double> out = new ArrayList<>();
        for (double s : samples) {
            out.add(Math.round(s * 10) / 10.0);
        }
        return out;
    }
}
