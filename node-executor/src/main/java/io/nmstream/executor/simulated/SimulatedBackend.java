package io.nmstream.executor.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import io.nmstream.executor.backend.ApplyOptions;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.executor.backend.Probe;
import io.nmstream.executor.backend.ProbeResult;
import io.nmstream.executor.nm.ProfilePlanner;
import io.nmstream.nmstate.DnsConfig;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.ParseOptions;
import io.nmstream.nmstate.ParsedState;
import io.nmstream.nmstate.NmstateWriter;
import io.nmstream.nmstate.Route;
import io.nmstream.nmstate.StateMerger;
import io.nmstream.nmstate.yaml.YamlDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory host: a network state that applies change to, checkpoints that snapshot it and roll back by themselves
 * when their timeout expires (as NetworkManager's do), a configurable apply latency and failure rules. Many of them
 * run in one process for fleet simulations and benchmarks; it never touches a real network. It takes every interface
 * type and block of the nmstate model and keeps them in its state, and refuses what a NetworkManager host would refuse
 * before touching anything.
 *
 * <p>A host {@linkplain #keptIn kept in a file} survives its process, as a real host's configuration does: every state
 * that is settled (committed, rolled back, or applied without a checkpoint) is written there, and an apply whose
 * process died before its commit is gone on restart, as NetworkManager rolls back a checkpoint nobody commits.
 */
public final class SimulatedBackend implements NetworkBackend {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedBackend.class);
    /** Shared by every simulated host of the process: checkpoint timeouts are rare and short work. */
    private static final ScheduledExecutorService TIMEOUTS = checkpointTimeouts();
    private static final AtomicLong CHECKPOINT_IDS = new AtomicLong();
    private static final HexFormat MAC = HexFormat.ofDelimiter(":").withUpperCase();

    /** Hosts per management network: a /16 holds 64,000 of them at 250 addresses per third octet. */
    private static final int HOSTS_PER_NETWORK = 64_000;
    /** The typical host's NICs other than eth0, down, in the order nmstate lists them. */
    private static final List<String> SPARE_PORTS = List.of("eth1", "eth2", "ens8f0np0", "ens8f1np1");

    private final Duration applyLatency;
    private final FailureRules rules;
    private NetworkState state;
    /** Where the settled state is kept; null for a host that lives in memory only. */
    private final Path stateFile;
    private final Map<String, NetworkState> checkpoints = new LinkedHashMap<>();
    /** Each interface's MTU when the host started, which NetworkManager gives back to an interface it takes down. */
    private final Map<String, Integer> initialMtus = new LinkedHashMap<>();
    private final Map<String, ScheduledFuture<?>> timeouts = new LinkedHashMap<>();

    public SimulatedBackend(NetworkState initial, Duration applyLatency, FailureRules rules) {
        this(initial, applyLatency, rules, null);
    }

    private SimulatedBackend(NetworkState initial, Duration applyLatency, FailureRules rules, Path stateFile) {
        this(initial, applyLatency, rules, stateFile, initial);
    }

    private SimulatedBackend(NetworkState current, Duration applyLatency, FailureRules rules, Path stateFile, NetworkState initial) {
        this.rules = rules;
        this.applyLatency = applyLatency;
        this.state = withoutMissing(current, rules);
        this.stateFile = stateFile;
        initial.interfaces().stream().filter(i -> i.mtu() != null).forEach(i -> initialMtus.put(i.name(), i.mtu()));
    }

    /**
     * A host whose settled state is kept in {@code file} (nmstate JSON): the state found there, or {@code initial} when
     * the file does not exist yet (see {@link #kept}).
     */
    public static SimulatedBackend keptIn(Path file, NetworkState initial, Duration applyLatency, FailureRules rules) {
        return new SimulatedBackend(kept(file, initial), applyLatency, rules, file, initial);
    }

    /**
     * The state kept in {@code file}. It is a host's current state, not a desired one: where it breaks a rule a desired
     * state must follow (a version before this one may have kept such a state), it is read as far as it can be and kept,
     * as a real host keeps a configuration nmstate would refuse to write, with a warning. A file that is not a state at
     * all is set aside beside itself ({@code .unreadable}) and the host starts from {@code initial}.
     */
    static NetworkState kept(Path file, NetworkState initial) {
        if (!Files.exists(file)) {
            return initial;
        }
        List<JsonNode> documents;
        try {
            documents = YamlDocuments.read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the simulated host state " + file + ": " + e.getMessage(), e);
        } catch (YamlDocuments.YamlException e) {
            documents = List.of();
        }
        if (documents.size() != 1 || !documents.get(0).isObject()) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot set aside the unreadable simulated host state " + file + ": " + e.getMessage(), e);
            }
            LOG.warn("Simulated host state {} is not an nmstate state; set aside as {}, the host starts anew", file, aside);
            return initial;
        }
        ParsedState parsed = NmstateParser.parse(documents.get(0), ParseOptions.resolved());
        if (!parsed.valid()) {
            LOG.warn("Simulated host state {} breaks rules a desired state must follow, kept as it is: {}", file,
                new InvalidStateException(parsed.problems()).getMessage());
        }
        return parsed.state();
    }

    private static ScheduledExecutorService checkpointTimeouts() {
        ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "simulated-checkpoint-timeouts");
            t.setDaemon(true);
            return t;
        });
        // every committed apply cancels its timeout: drop it at once rather than keep it queued until it would have fired
        timeouts.setRemoveOnCancelPolicy(true);
        return timeouts;
    }

    /**
     * A typical server, the host kubernetes-nmstate's examples are written for: {@code eth0} up with a static IPv4 and
     * IPv6 address, the default routes and a name server; spare NICs {@code eth1} and {@code eth2} and the two RDMA
     * data-plane ports {@code ens8f0np0} and {@code ens8f1np1} down. {@code index} (0 to 16,383,999) makes the addresses
     * and MAC addresses unique. Hosts 0 to 63,999 share 10.0.0.0/16 and fd00:10::/64; each further 64,000 hosts get the
     * next of each, and its gateways.
     */
    public static NetworkState typicalHost(int index) {
        if (index < 0 || index / HOSTS_PER_NETWORK > 255) {
            throw new IllegalArgumentException("Host index " + index + " is outside 0 to " + (256 * HOSTS_PER_NETWORK - 1));
        }
        int networkIndex = index / HOSTS_PER_NETWORK;
        String network = "10." + networkIndex + ".";
        // written as nmstate writes it (RFC 5952): the zero group of the first network is part of the "::"
        String network6 = networkIndex == 0 ? "fd00:10::" : "fd00:10:" + Integer.toHexString(networkIndex) + "::";
        int inNetwork = index % HOSTS_PER_NETWORK;
        String ip = network + inNetwork / 250 + "." + (inNetwork % 250 + 2);
        String ip6 = network6 + Integer.toHexString(inNetwork + 2);
        List<InterfaceSpec> interfaces = new ArrayList<>(List.of(InterfaceSpec.builder("eth0").type(InterfaceType.ETHERNET)
            .state(InterfaceState.UP).mtu(1500).macAddress(mac(index, 0))
            .ipv4(IpConfig.staticAddresses(false, List.of(new IpAddress(ip, 16))))
            .ipv6(IpConfig.staticAddresses(true, List.of(new IpAddress(ip6, 64)))).lldp(false).build()));
        for (String spare : SPARE_PORTS) {
            interfaces.add(InterfaceSpec.builder(spare).type(InterfaceType.ETHERNET).state(InterfaceState.DOWN).mtu(1500)
                .macAddress(mac(index, interfaces.size())).ipv4(IpConfig.disabled()).ipv6(IpConfig.disabled()).lldp(false).build());
        }
        List<Route> gateways = List.of(Route.via("0.0.0.0/0", "eth0", network + "0.1"), Route.via("::/0", "eth0", network6 + "1"));
        return new NetworkState(interfaces, gateways, gateways, new DnsConfig(List.of("10.0.0.1"), List.of(), null));
    }

    private static String mac(int index, int port) {
        // not String.format: a 100,000-node fleet builds 300,000 of these at start-up
        return MAC.formatHex(new byte[] {0x52, 0x54, (byte) (index >> 16), (byte) (index >> 8), (byte) index, (byte) port});
    }

    private static NetworkState withoutMissing(NetworkState s, FailureRules rules) {
        return s.withInterfaces(s.interfaces().stream().filter(i -> !rules.missingInterfaces().contains(i.name())).toList());
    }

    @Override
    public String version() {
        return "simulated";
    }

    @Override
    public synchronized NetworkState currentState() {
        return state;
    }

    @Override
    public synchronized Checkpoint createCheckpoint(Duration rollbackTimeout) {
        if (!checkpoints.isEmpty()) {
            throw new BackendException("Cannot create a checkpoint: another one is in progress (" + checkpoints.keySet() + ")");
        }
        String id = "/simulated/Checkpoint/" + CHECKPOINT_IDS.incrementAndGet();
        checkpoints.put(id, state);
        timeouts.put(id, TIMEOUTS.schedule(() -> expire(id), rollbackTimeout.toMillis(), TimeUnit.MILLISECONDS));
        return new Checkpoint(id);
    }

    private synchronized void expire(String id) {
        NetworkState saved = checkpoints.remove(id);
        timeouts.remove(id);
        if (saved != null) {
            state = saved;
            save();
        }
    }

    @Override
    public synchronized List<Checkpoint> checkpoints() {
        return checkpoints.keySet().stream().map(Checkpoint::new).toList();
    }

    @Override
    public synchronized void rollback(Checkpoint checkpoint) {
        NetworkState saved = settle(checkpoint);
        state = saved;
        save();
    }

    @Override
    public synchronized void commit(Checkpoint checkpoint) {
        settle(checkpoint);
        save();
    }

    /** Writes the settled state to the state file, atomically, when the host has one. */
    private void save() {
        if (stateFile == null) {
            return;
        }
        try {
            Files.createDirectories(stateFile.getParent());
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            Files.writeString(tmp, NmstateWriter.toJson(state), StandardCharsets.UTF_8);
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the simulated host state " + stateFile + ": " + e.getMessage(), e);
        }
    }

    private NetworkState settle(Checkpoint checkpoint) {
        NetworkState saved = checkpoints.remove(checkpoint.id());
        ScheduledFuture<?> timeout = timeouts.remove(checkpoint.id());
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (saved == null) {
            throw new BackendException("Checkpoint " + checkpoint.id() + " does not exist (it may have timed out and rolled back)");
        }
        return saved;
    }

    @Override
    public void apply(NetworkState desired, ApplyOptions options) {
        if (!applyLatency.isZero()) {
            try {
                // the time a real host spends writing profiles and bringing links up
                Thread.sleep(applyLatency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("Interrupted while applying");
            }
        }
        synchronized (this) {
            // what a NetworkManager host refuses before it writes anything (a block NetworkManager cannot express), this
            // host refuses too: the same translation runs, and its profiles are thrown away
            ProfilePlanner.plan(desired, state, Map.of());
            for (InterfaceSpec want : desired.interfaces()) {
                OptionalInt limit = rules.mtuLimit(want.name());
                boolean refused = limit.isPresent() && want.mtu() != null && want.mtu() > limit.getAsInt();
                if (refused && want.effectiveState() == InterfaceState.UP) {
                    throw new BackendException("Interface " + want.name() + ": MTU " + want.mtu()
                        + " exceeds the maximum supported by the driver", "driver maximum MTU is " + limit.getAsInt(), null);
                }
            }
            state = asNetworkManagerLeavesThoseTakenDown(state, StateMerger.merge(state, desired));
            if (checkpoints.isEmpty()) {
                save();
            }
        }
    }

    /**
     * {@code after}, where each interface {@code before} had up and {@code after} has down is as NetworkManager leaves an
     * interface whose profile it deactivates: its addresses gone (both families show disabled) and its device's initial
     * MTU back.
     */
    private NetworkState asNetworkManagerLeavesThoseTakenDown(NetworkState before, NetworkState after) {
        return after.withInterfaces(after.interfaces().stream().map(i -> {
            boolean takenDown = i.effectiveState() == InterfaceState.DOWN && before.find(i.name())
                .map(was -> was.effectiveState() == InterfaceState.UP).orElse(false);
            if (!takenDown) {
                return i;
            }
            InterfaceSpec down = i.withIp(IpConfig.disabled(), IpConfig.disabled());
            Integer initialMtu = initialMtus.get(i.name());
            return initialMtu == null ? down : down.withMtu(initialMtu);
        }).toList());
    }

    @Override
    public synchronized ProbeResult probe(Probe probe, Duration timeout) {
        if (probe == Probe.DEFAULT_GATEWAY) {
            Route gateway = state.runningRoutes().stream().filter(r -> r.destination().endsWith("/0")).findFirst().orElse(null);
            if (gateway == null) {
                return ProbeResult.notApplicable(probe, "no default gateway");
            }
            boolean up = state.find(gateway.nextHopInterface()).map(i -> i.effectiveState() == InterfaceState.UP).orElse(false);
            return up ? ProbeResult.passed(probe, "default gateway " + gateway.nextHopAddress() + " answers")
                : ProbeResult.failed(probe, "default gateway " + gateway.nextHopAddress() + " does not answer");
        }
        if (state.dns() == null || state.dns().servers() == null || state.dns().servers().isEmpty()) {
            return ProbeResult.notApplicable(probe, "no name server configured");
        }
        boolean anyUp = state.interfaces().stream().anyMatch(i -> i.effectiveState() == InterfaceState.UP && i.ipv4() != null
            && i.ipv4().isEnabled());
        String server = state.dns().servers().get(0);
        return anyUp ? ProbeResult.passed(probe, "name server " + server + " answers")
            : ProbeResult.failed(probe, "name server " + server + " does not answer");
    }

    @Override
    public synchronized void close() {
        timeouts.values().forEach(f -> f.cancel(false));
    }
}
