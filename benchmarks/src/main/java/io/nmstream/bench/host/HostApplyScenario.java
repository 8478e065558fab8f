package io.nmstream.bench.host;

import io.nmstream.bench.BenchRun;
import io.nmstream.bench.Installation;
import io.nmstream.bench.Scenario;
import io.nmstream.bench.report.Measurement;
import io.nmstream.bench.report.Outcome;
import io.nmstream.bench.report.Percentiles;
import io.nmstream.bench.sandbox.NmSandbox;
import io.nmstream.executor.apply.ApplyContext;
import io.nmstream.executor.apply.ApplyRequest;
import io.nmstream.executor.apply.NodeApplier;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.nmstate.NmstateParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Host apply on a real NetworkManager (in its sandbox): the same in-place change, a static IPv4 address and an MTU on a
 * veth whose profile is already active, made by nmstream and by {@code nmcli}.
 *
 * <ul>
 *   <li>In place: nmstream's {@link NodeApplier} in this JVM, warm, as the long-running agent applies (validate,
 *       checkpoint, apply, verify, probe, commit, over D-Bus) against {@code nmcli connection modify} plus
 *       {@code nmcli device reapply} on the same kind of profile.</li>
 *   <li>Cold: {@code bin/nmstream node apply FILE} as a user types it, a new process, launcher and JVM start included
 *       (with the launcher's default JVM options and its class archive of the agent jar, which the unmeasured first
 *       command records when there is none), against the same two {@code nmcli} commands.</li>
 * </ul>
 *
 * <p>Each iteration alternates between two addresses and MTUs, so that every apply really changes the interface, and
 * the two tools take turns. Both first apply {@code --host-warmup} times unmeasured; then {@code --runs} runs of
 * {@code --host-iterations} applies each (cold: {@code --host-cold-iterations}); each figure is the median of the runs'
 * percentiles. After every run the bench checks with {@code ip} that both interfaces carry the last change.
 */
public final class HostApplyScenario implements Scenario {

    /** The veth nmstream configures; nmcli configures another one, so that neither sees the other's profile. */
    static final String NMSTREAM_INTERFACE = "v0";
    static final String NMCLI_INTERFACE = "v2";
    static final String NMCLI_PROFILE = "nmstream-bench-nmcli";
    static final String TARGET = "p50 <= nmcli p50";
    /** The cold row's name, measured or skipped: a reader of the table or the JSON finds it under one name. */
    static final String COLD_P50 = "cold, p50 (process start included)";

    @Override
    public String name() {
        return "host-apply";
    }

    @Override
    public List<Measurement> run(BenchRun run) throws Exception {
        Optional<String> unavailable = NmSandbox.unavailableReason();
        if (unavailable.isPresent()) {
            return List.of(Measurement.skipped(name(), "in place, p50", TARGET, unavailable.get()),
                Measurement.skipped(name(), "in place, p95", "-", unavailable.get()),
                Measurement.skipped(name(), COLD_P50, "-", unavailable.get()));
        }
        Optional<Path> launcher = Installation.locate(null, Installation.LAUNCHER);
        List<Measurement> rows = new ArrayList<>();
        try (NmSandbox sandbox = NmSandbox.start();
             NetworkManagerBackend nm = NetworkManagerBackend.connect(sandbox.busAddress())) {
            Tools tools = new Tools(sandbox, new NodeApplier(nm), launcher.orElse(null));
            tools.createProfiles();
            rows.addAll(inPlace(run, tools));
            if (launcher.isPresent()) {
                rows.add(cold(run, tools));
            } else {
                rows.add(Measurement.skipped(name(), COLD_P50, "-", "the launcher " + Installation.LAUNCHER
                    + " was not found under nmstream.home or the current directory: the cold figure runs what users run"));
            }
        }
        return rows;
    }

    private List<Measurement> inPlace(BenchRun run, Tools tools) throws Exception {
        for (int i = 0; i < run.hostWarmup(); i++) {
            tools.nmstreamInProcess();
            tools.nmcli();
        }
        List<Double> p50 = new ArrayList<>();
        List<Double> p95 = new ArrayList<>();
        List<Double> p50Nmcli = new ArrayList<>();
        List<Double> p95Nmcli = new ArrayList<>();
        List<List<Double>> samples = new ArrayList<>();
        List<List<Double>> samplesNmcli = new ArrayList<>();
        for (int r = 0; r < run.runs(); r++) {
            double[] nmstream = new double[run.hostIterations()];
            double[] nmcli = new double[run.hostIterations()];
            for (int i = 0; i < run.hostIterations(); i++) {
                nmstream[i] = tools.nmstreamInProcess();
                nmcli[i] = tools.nmcli();
            }
            tools.verifyLastChanges();
            p50.add(Percentiles.of(nmstream, 50));
            p95.add(Percentiles.of(nmstream, 95));
            p50Nmcli.add(Percentiles.of(nmcli, 50));
            p95Nmcli.add(Percentiles.of(nmcli, 95));
            samples.add(rounded(nmstream));
            samplesNmcli.add(rounded(nmcli));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("change", "static IPv4 /24 and MTU on a veth whose profile is active, alternating between two values");
        details.put("nmstream", "NodeApplier over D-Bus in the bench JVM (warm, as the agent): validate, checkpoint, apply "
            + "(Update2 + Device.Reapply), verify, probe, commit");
        details.put("baseline", "nmcli connection modify " + NMCLI_PROFILE + " ipv4.addresses A/24 ethernet.mtu M && nmcli device reapply "
            + NMCLI_INTERFACE);
        details.put("iterationsPerRun", run.hostIterations());
        details.put("warmupPerTool", run.hostWarmup());
        details.put("nmstreamP50PerRunMillis", rounded(p50));
        details.put("nmcliP50PerRunMillis", rounded(p50Nmcli));
        details.put("nmstreamSamplesMillis", samples);
        details.put("nmcliSamplesMillis", samplesNmcli);
        double medianP50 = Percentiles.median(p50);
        double medianP50Nmcli = Percentiles.median(p50Nmcli);
        return List.of(
            new Measurement(name(), "in place, p50", medianP50, medianP50Nmcli, "ms", run.runs(), TARGET,
                Outcome.of(medianP50 <= medianP50Nmcli), details),
            new Measurement(name(), "in place, p95", Percentiles.median(p95), Percentiles.median(p95Nmcli), "ms", run.runs(), "-",
                Outcome.NOT_JUDGED, Map.of()));
    }

    private Measurement cold(BenchRun run, Tools tools) throws Exception {
        // one unmeasured command each: the jar and nmcli in the page cache, and the launcher's class archive recorded, as
        // on a host where they ran before
        tools.nmstreamCommand();
        tools.nmcli();
        List<Double> p50 = new ArrayList<>();
        List<Double> p50Nmcli = new ArrayList<>();
        List<List<Double>> samples = new ArrayList<>();
        for (int r = 0; r < run.runs(); r++) {
            double[] nmstream = new double[run.hostColdIterations()];
            double[] nmcli = new double[run.hostColdIterations()];
            for (int i = 0; i < run.hostColdIterations(); i++) {
                nmstream[i] = tools.nmstreamCommand();
                nmcli[i] = tools.nmcli();
            }
            tools.verifyLastChanges();
            p50.add(Percentiles.of(nmstream, 50));
            p50Nmcli.add(Percentiles.of(nmcli, 50));
            samples.add(rounded(nmstream));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("nmstream", String.join(" ", tools.nmstreamCommandLine(Path.of("FILE"))));
        details.put("baseline", "nmcli connection modify ... && nmcli device reapply " + NMCLI_INTERFACE + " (two new processes)");
        details.put("iterationsPerRun", run.hostColdIterations());
        details.put("nmstreamP50PerRunMillis", rounded(p50));
        details.put("nmcliP50PerRunMillis", rounded(p50Nmcli));
        details.put("nmstreamSamplesMillis", samples);
        return new Measurement(name(), COLD_P50, Percentiles.median(p50), Percentiles.median(p50Nmcli), "ms",
            run.runs(), "-", Outcome.NOT_JUDGED, details);
    }

    /** Both tools on one sandbox, each counting its own changes. */
    private static final class Tools {
        private final NmSandbox sandbox;
        private final NodeApplier applier;
        private final Path launcher;
        private final ApplyContext context = ApplyContext.manual("bench-host");
        private int nmstreamChanges;
        private int nmcliChanges;

        Tools(NmSandbox sandbox, NodeApplier applier, Path launcher) {
            this.sandbox = sandbox;
            this.applier = applier;
            this.launcher = launcher;
        }

        /** The profile each tool changes, active before any timed change: the first apply of each is not timed. */
        void createProfiles() throws IOException, InterruptedException {
            nmstreamInProcess();
            sandbox.check(List.of("nmcli", "connection", "add", "type", "ethernet", "ifname", NMCLI_INTERFACE, "con-name", NMCLI_PROFILE,
                "ipv4.method", "manual", "ipv4.addresses", address("198.51.100", 1) + "/24", "ethernet.mtu", Integer.toString(mtu(1))));
            sandbox.check(List.of("nmcli", "connection", "up", NMCLI_PROFILE));
        }

        /** One apply by nmstream in this JVM; its time in milliseconds. */
        double nmstreamInProcess() {
            int change = nmstreamChanges++;
            var desired = NmstateParser.parse(document(change));
            long started = System.nanoTime();
            applier.apply(context, desired, ApplyRequest.defaults());
            return (System.nanoTime() - started) / 1e6;
        }

        /** One {@code nmstream node apply FILE} in a new process; its time in milliseconds, from start to exit. */
        double nmstreamCommand() throws IOException, InterruptedException {
            int change = nmstreamChanges++;
            Path file = Files.createTempFile("nmstream-bench-apply-", ".yaml");
            try {
                Files.writeString(file, document(change), StandardCharsets.UTF_8);
                List<String> command = nmstreamCommandLine(file);
                long started = System.nanoTime();
                NmSandbox.Result result = sandbox.run(command);
                double elapsed = (System.nanoTime() - started) / 1e6;
                if (result.exitCode() != 0) {
                    throw new IllegalStateException("nmstream node apply failed (exit " + result.exitCode() + "): "
                        + result.output().trim());
                }
                return elapsed;
            } finally {
                Files.deleteIfExists(file);
            }
        }

        /** The launcher with its default JVM options: the bench's own (NMSTREAM_JAVA_OPTS) are not a user's. */
        List<String> nmstreamCommandLine(Path file) {
            return List.of("env", "-u", "NMSTREAM_JAVA_OPTS", String.valueOf(launcher), "node", "--bus-address", sandbox.busAddress(),
                "apply", file.toString());
        }

        /** One in-place change by nmcli, as a user makes it: modify the profile, reapply it to the device. */
        double nmcli() throws IOException, InterruptedException {
            int change = nmcliChanges++;
            List<String> modify = List.of("nmcli", "connection", "modify", NMCLI_PROFILE,
                "ipv4.addresses", address("198.51.100", change) + "/24", "ethernet.mtu", Integer.toString(mtu(change)));
            List<String> reapply = List.of("nmcli", "device", "reapply", NMCLI_INTERFACE);
            long started = System.nanoTime();
            sandbox.check(modify);
            sandbox.check(reapply);
            return (System.nanoTime() - started) / 1e6;
        }

        /** Both interfaces carry their tool's last change, as {@code ip} shows it: neither tool's figure is of a no-op. */
        void verifyLastChanges() {
            verify(NMSTREAM_INTERFACE, nmstreamChanges - 1, "192.0.2");
            verify(NMCLI_INTERFACE, nmcliChanges - 1, "198.51.100");
        }

        private void verify(String iface, int change, String prefix) {
            String link = sandbox.ip("-o", "link", "show", iface);
            String addresses = sandbox.ip("-o", "-4", "addr", "show", iface);
            if (!link.contains(" mtu " + mtu(change) + " ") || !addresses.contains(" " + address(prefix, change) + "/24 ")) {
                throw new IllegalStateException(iface + " does not carry the last change (MTU " + mtu(change) + ", "
                    + address(prefix, change) + "/24): " + link.trim() + " | " + addresses.trim());
            }
        }

        private static String document(int change) {
            return String.format(Locale.ROOT, """
                interfaces:
                - name: %s
                  type: ethernet
                  state: up
                  mtu: %d
                  ipv4: {enabled: true, dhcp: false, address: [{ip: %s, prefix-length: 24}]}
                """, NMSTREAM_INTERFACE, mtu(change), address("192.0.2", change));
        }
    }

    private static int mtu(int change) {
        return change % 2 == 0 ? 1400 : 1450;
    }

    private static String address(String prefix, int change) {
        return prefix + "." + (change % 2 == 0 ? 10 : 11);
    }

    private static List<Double> rounded(double[] samples) {
        List<Double> out = new ArrayList<>();
        for (double s : samples) {
            out.add(Math.round(s * 10) / 10.0);
        }
        return out;
    }

    private static List<Double> rounded(List<Double> samples) {
        return samples.stream().map(s -> Math.round(s * 10) / 10.0).toList();
    }
}
