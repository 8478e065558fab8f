package io.nmstream.status.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.cli.ClusterOptions;
import io.nmstream.common.cli.DurationConverter;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.ClusterUnreachableException;
import io.nmstream.common.kafka.ReadTimeoutException;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.common.status.PolicyWait;
import io.nmstream.common.status.StatusFollower;
import io.nmstream.nmstate.KeySuggestions;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.fold.Nmstate;
import io.nmstream.status.projector.LatestValues;
import io.nmstream.common.status.NmstateKind;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream wait nncp/NAME... --for=condition=Available --timeout=5m} (or {@code nncp --all}): kubectl's wait for
 * policies, for GitOps pipelines. Only the status of each policy's latest generation counts, and a Degraded policy ends
 * the wait once none of its failed nodes is still retrying.
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
    description = "Wait until policies' status has a condition, as kubectl wait does, for their latest generation.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the condition holds for every policy (with --for=delete: each is deleted, or does not exist)",
        "1:a policy is Degraded (the failing nodes are printed), does not exist or was deleted; --all found none",
        "2:timed out (Kafka not answering too), or invalid options"})
public final class WaitCommand implements Callable<Integer> {

    static final int MET = 0;
    static final int DEGRADED = 1;
    static final int TIMED_OUT = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions options = new ClusterOptions();

    @Parameters(arity = "1..*", paramLabel = "nncp/NAME", description = "The policy to wait for (nncp/NAME, or nncp NAME as kubectl "
        + "takes it); several are waited for in turn within the one --timeout, the first that fails ending the wait. With --all: nncp.")
    List<String> resources;

    @Option(names = "--all", description = "Every policy there is, as kubectl wait nncp --all.")
    boolean all;

    @Option(names = "--for", required = true, paramLabel = "condition=TYPE[=STATUS]|delete",
        description = "The condition to wait for, e.g. condition=Available or condition=Progressing=False; delete waits until the "
            + "policy is deleted and its status gone, its enactments' too (nodes that revert it have).")
    String waitFor;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "How long to wait (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofSeconds(30);

    @Option(names = "--generation", paramLabel = "N",
        description = "Wait for this generation's status (or a later one's) instead of the latest generation's.")
    Long generation;

    @Override
    public Integer call() {
        List<String> names = all ? null : policyNames();
        if (all && (resources.size() != 1 || resources.get(0).contains("/") || !isPolicyType(resources.get(0)))) {
            throw new ParameterException(spec.commandLine(), "--all takes the type alone: wait nncp --all");
        }
        if (generation != null && (all || names.size() > 1)) {
            throw new ParameterException(spec.commandLine(), "--generation names the generation of one policy: give one nncp/NAME");
        }
        boolean deletion = waitFor.equals("delete");
        String[] condition = deletion ? null : condition();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClusterSettings cluster;
        try {
            cluster = options.answeringCluster();
        } catch (ClusterUnreachableException e) {
            // nothing can be Available while nothing answers: a pipeline retries a timeout, not a Degraded policy
            err.println("error: " + e.getMessage());
            return TIMED_OUT;
        }
        Instant deadline = Instant.now().plus(timeout);
        Topics topics = options.topics(cluster);
        String clientId = "nmstream-wait-" + UUID.randomUUID();
        // one count of the records both reads skip; it only counts, so it holds nothing to close
        RejectedRecords rejections = RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry());
        // every policy's latest event, read once for all of them (a given --generation needs none)
        Map<String, PolicyEvent> policies;
        try {
            policies = generation != null && !deletion ? Map.of() : LatestValues.read(cluster.clientProperties(), topics.policies(),
                clientId, timeout, rejections);
        } catch (ReadTimeoutException e) {
            // the topics took longer to read than the wait may last: a timeout of the wait, as a pipeline retries one
            err.println("error: timed out waiting for " + (names != null && names.size() == 1 ? NmstateKind.NNCP.objectName(names.get(0))
                : "the policies") + ": " + e.getMessage());
            return TIMED_OUT;
        }
        if (all) {
            names = policies.values().stream().filter(p -> p.getAction() != PolicyAction.DELETE).map(PolicyEvent::getName).sorted()
                .toList();
            if (names.isEmpty()) {
                err.println("error: no matching resources found");
                return DEGRADED;
            }
        }
        // one follower for all of them: each wait starts where the previous one stopped reading the status topic
        try (StatusFollower follower = new StatusFollower(cluster.clientProperties(), topics.status(), clientId, rejections)) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                // the first has the whole --timeout, as the time its messages name; the others what is left of it
                Duration left = i == 0 ? timeout : Duration.between(Instant.now(), deadline);
                String object = NmstateKind.NNCP.objectName(name);
                int outcome;
                try {
                    outcome = await(follower, name, object, policies.get(name), left.isNegative() ? Duration.ZERO : left, deletion,
                        condition, out, err);
                } catch (ReadTimeoutException e) {
                    // the status topic took longer to read than the wait may last: a timeout of the wait
                    err.println("error: timed out waiting for " + object + ": " + e.getMessage());
                    outcome = TIMED_OUT;
                }
                if (outcome != MET) {
                    return outcome;
                }
            }
        }
        return MET;
    }

    /** Waits for one policy, whose latest event is {@code latest} (null when it has none, or when --generation names it). */
    private int await(StatusFollower follower, String name, String object, PolicyEvent latest, Duration within, boolean deletion,
                      String[] condition, PrintWriter out, PrintWriter err) {
        long awaited;
        if (generation != null && !deletion) {
            awaited = generation;
        } else {
            if (deletion) {
                return awaitDeletion(follower, name, object, latest, within, out, err);
            }
            if (latest == null || latest.getAction() == PolicyAction.DELETE) {
                err.println(NmstateKind.NNCP.notFound(name));
                return DEGRADED;
            }
            awaited = latest.getGeneration();
        }
        PolicyWait.Result result = new PolicyWait(name, awaited, condition[0], condition[1]).await(follower, within,
            ignoredHint(object, condition[0], err));
        switch (result.outcome()) {
            case MET -> {
                out.println(object + " condition met");
                return MET;
            }
            case DEGRADED -> {
                err.println("error: " + object + " generation " + result.policy().getGeneration() + " is "
                    + PolicyWait.summary(result.policy()));
                result.failures().forEach(failure -> err.println("  " + failure));
                return DEGRADED;
            }
            case DELETED -> {
                err.println("error: " + object + " was deleted while waiting for generation " + awaited);
                return DEGRADED;
            }
            default -> {
                err.println("error: timed out waiting for the condition on " + object + " generation " + awaited
                    + (result.policy() == null ? " (no status yet)" : " (" + PolicyWait.summary(result.policy()) + ")"));
                return TIMED_OUT;
            }
        }
    }

    /**
     * {@code --for=delete}: as with kubectl, a policy that does not exist is deleted already. A deleted one is done once
     * its status is gone too, and its enactments (a node reverting it keeps its NNCE until it has), so that a {@code get}
     * after the wait no longer lists either.
     */
    private int awaitDeletion(StatusFollower follower, String name, String object, PolicyEvent latest, Duration within, PrintWriter out,
                              PrintWriter err) {
        boolean deleted = latest == null || latest.getAction() == PolicyAction.DELETE;
        long awaited = latest == null ? 0 : latest.getGeneration();
        PolicyWait.Result result = PolicyWait.awaitDeletion(name, awaited, deleted, follower, within);
        if (result.outcome() == PolicyWait.Outcome.MET) {
            out.println(object + " condition met");
            return MET;
        }
        err.println("error: timed out waiting for the deletion of " + object + (result.policy() == null || result.policy().getDeleted()
            ? "" : " (" + PolicyWait.summary(result.policy()) + ")"));
        if (!result.failures().isEmpty()) {
            err.println("  enactments not yet removed: " + String.join(", ", result.failures()));
        }
        return TIMED_OUT;
    }

    /**
     * The policies the arguments name, each once: {@code nncp/NAME...}, or kubectl's other form, the type once and then
     * names ({@code nncp NAME...}).
     */
    private List<String> policyNames() {
        boolean typeThenNames = resources.size() > 1 && !resources.get(0).contains("/") && isPolicyType(resources.get(0));
        List<String> names = new ArrayList<>();
        for (String resource : typeThenNames ? resources.subList(1, resources.size()) : resources) {
            String name;
            try {
                name = typeThenNames ? bareName(resource) : NmstateKind.policyReference(resource);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static String bareName(String name) {
        if (name.contains("/")) {
            throw new IllegalArgumentException("there is no need to specify a resource type as a separate argument when passing "
                + "arguments in resource/name form (e.g. 'nmstream wait nncp/NAME' instead of 'nmstream wait nncp nncp/NAME'): '"
                + name + "'");
        }
        return name;
    }

    private static boolean isPolicyType(String type) {
        try {
            return NmstateKind.parse(type) == NmstateKind.NNCP;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Says once, on stderr, that the policy matches no node while the wait goes on (a node whose labels match may still
     * register): otherwise the wait only says so when it times out, and a pipeline waits its whole timeout for nothing.
     */
    private static Consumer<ResourceStatus> ignoredHint(String object, String awaitedType, PrintWriter err) {
        boolean[] said = {false};
        return status -> {
            boolean ignored = status.getConditions().stream()
                .anyMatch(c -> c.getType().equals(Nmstate.IGNORED) && c.getStatus().equals("True"));
            if (ignored && !said[0] && !awaitedType.equalsIgnoreCase(Nmstate.IGNORED)) {
                err.println("note: " + object + " matches no node (Ignored); waiting for a node its nodeSelector matches");
                err.flush();
                said[0] = true;
            }
        };
    }

    /** {@code condition=Available} is {@code [Available, True]}; {@code condition=Progressing=False} names the status. */
    private String[] condition() {
        String[] parts = waitFor.split("=", -1);
        if (parts.length < 2 || parts.length > 3 || !parts[0].equals("condition") || parts[1].isBlank()
            || (parts.length == 3 && !parts[2].equalsIgnoreCase("true") && !parts[2].equalsIgnoreCase("false"))) {
            throw new ParameterException(spec.commandLine(), "Invalid --for '" + waitFor
                + "': expected condition=TYPE or condition=TYPE=True|False, e.g. condition=Available");
        }
        // compared regardless of case, as kubectl does; a type no NNCP has would be waited for until the timeout
        if (Nmstate.NNCP_CONDITIONS.stream().noneMatch(parts[1]::equalsIgnoreCase)) {
            String suggestion = KeySuggestions.nearest(parts[1], Nmstate.NNCP_CONDITIONS).map(n -> "; did you mean " + n + "?").orElse("");
            throw new ParameterException(spec.commandLine(), "Invalid --for '" + waitFor + "': an NNCP has no condition " + parts[1]
                + suggestion + " (its conditions: " + String.join(", ", Nmstate.NNCP_CONDITIONS) + ")");
        }
        return new String[] {parts[1], parts.length == 3 ? parts[2] : "True"};
    }
}
