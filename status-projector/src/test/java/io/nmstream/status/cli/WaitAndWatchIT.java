package io.nmstream.status.cli;

import static io.nmstream.schemas.avro.EnactmentPhase.AVAILABLE;
import static io.nmstream.schemas.avro.EnactmentPhase.FAILING;
import static io.nmstream.schemas.avro.EnactmentPhase.PROGRESSING;
import static io.nmstream.schemas.avro.EnactmentPhase.REMOVED;
import static io.nmstream.schemas.avro.EnactmentPhase.RETRYING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.common.status.PolicyWait;
import io.nmstream.common.status.StatusFollower;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.EventLog;
import io.nmstream.status.Events;
import io.nmstream.status.projector.StatusProjector;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code nmstream wait} and {@code nmstream get -w} against a real broker and the live projector, as a GitOps pipeline
 * and an operator at a terminal use them while a rollout runs.
 */
@ExtendWith(EmbeddedClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WaitAndWatchIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final EmbeddedCluster cluster;
    private final Events events = new Events();
    private final ExecutorService commands = Executors.newCachedThreadPool();
    private Topics topics;
    private StatusProjector projector;
    private EventLog log;

    WaitAndWatchIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() throws InterruptedException {
        topics = cluster.createTopics("wait-" + UUID.randomUUID());
        projector = StatusProjector.start(cluster.config(), topics);
        assertThat(projector.awaitCaughtUp(WAIT)).isTrue();
        log = new EventLog(cluster.settings().clientProperties(), topics);
    }

    @AfterAll
    void stop() {
        commands.shutdownNow();
        log.close();
        projector.close();
    }

    @Test
    void waitEndsWithZeroOnceThePolicyIsAvailable() throws Exception {
        log.send(events.upsert("mtu", 1));
        log.send(events.matched("mtu", 1, 2));
        awaitPolicy("mtu", s -> s.getGeneration() == 1 && conditionTrue(s, "Progressing"));

        // named as get -o name prints it, so that `wait $(get nncp mtu -o name)` works as with kubectl
        Future<Result> waiting = commands.submit(() -> run(new WaitCommand(), "nodenetworkconfigurationpolicy.nmstate.io/mtu",
            "--for=condition=Available", "--timeout=60s"));
        log.send(events.enactment("worker-0", "mtu", 1, PROGRESSING));
        log.send(events.enactment("worker-0", "mtu", 1, AVAILABLE));
        log.send(events.enactment("worker-1", "mtu", 1, PROGRESSING));
        log.send(events.enactment("worker-1", "mtu", 1, AVAILABLE));

        Result result = waiting.get(90, TimeUnit.SECONDS);
        assertThat(result.code).as(result.err).isZero();
        assertThat(result.out).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/mtu condition met\n");
    }

    @Test
    void degradedEndsTheWaitOfTheLatestGenerationWithTheFailingNodes() throws Exception {
        log.send(events.upsert("bond", 1));
        log.send(events.matched("bond", 1, 2));
        log.send(events.enactment("worker-0", "bond", 1, AVAILABLE));
        log.send(events.enactment("worker-1", "bond", 1, AVAILABLE));
        awaitPolicy("bond", s -> s.getGeneration() == 1 && conditionTrue(s, "Available"));
        log.send(events.upsert("bond", 2));
        log.send(events.matched("bond", 2, 2));

        // named as policy apply prints it
        Future<Result> waiting = commands.submit(() -> run(new WaitCommand(), "policy/bond", "--for=condition=Available", "--timeout=60s"));
        log.send(events.enactment("worker-0", "bond", 2, AVAILABLE));
        log.send(events.enactment("worker-1", "bond", 2, FAILING, "Interface bond0: MTU 9216 exceeds the maximum supported"));

        Result result = waiting.get(90, TimeUnit.SECONDS);
        assertThat(result.code).as("generation 1 was Available, generation 2 is Degraded: %s", result.out).isEqualTo(1);
        assertThat(result.err).contains("nodenetworkconfigurationpolicy.nmstate.io/bond generation 2 is Degraded: "
            + "1/2 nodes failed to configure").contains("  worker-1: Interface bond0: MTU 9216 exceeds the maximum supported")
            .doesNotContain("worker-0:");
    }

    @Test
    void aNodeStillRetryingKeepsTheWaitGoingThroughTheDegradedItCausesUntilItSucceeds() throws Exception {
        log.send(events.upsert("flaky", 1));
        log.send(events.matched("flaky", 1, 2));
        awaitPolicy("flaky", s -> conditionTrue(s, "Progressing"));
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch degraded = new CountDownLatch(1);
        String clientId = "wait-retrying-" + UUID.randomUUID();
        try (RejectedRecords rejections = RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry());
             StatusFollower follower = new StatusFollower(cluster.settings().clientProperties(), topics.status(), clientId, rejections)) {
            Future<PolicyWait.Result> waiting = commands.submit(() -> new PolicyWait("flaky", 1, "Available", "True")
                .await(follower, Duration.ofSeconds(60), status -> {
                    seen.add(PolicyWait.summary(status));
                    if (conditionTrue(status, "Degraded")) {
                        degraded.countDown();
                    }
                }));
            log.send(events.enactment("worker-0", "flaky", 1, AVAILABLE));
            log.send(events.enactment("worker-1", "flaky", 1, RETRYING, "Interface eth1: carrier lost (attempt 1 of 5; next in 1000 ms)"));
            assertThat(degraded.await(60, TimeUnit.SECONDS)).as("the policy is Degraded while worker-1 retries").isTrue();

            log.send(events.enactment("worker-1", "flaky", 1, AVAILABLE));

            PolicyWait.Result result = waiting.get(90, TimeUnit.SECONDS);
            assertThat(result.outcome()).as("statuses seen: %s", seen).isEqualTo(PolicyWait.Outcome.MET);
            assertThat(seen).contains("Degraded: 1/2 nodes failed to configure");
        }
    }

    @Test
    void waitsOneAfterTheOtherShareOneFollowerAndTheSecondSeesWhatTheFirstRead() throws Exception {
        // policy apply --wait on a directory: one follower, one policy waited for after the other
        log.send(events.upsert("first", 1));
        log.send(events.matched("first", 1, 1));
        log.send(events.upsert("second", 1));
        log.send(events.matched("second", 1, 1));
        awaitPolicy("first", s -> conditionTrue(s, "Progressing"));
        awaitPolicy("second", s -> conditionTrue(s, "Progressing"));
        String clientId = "wait-shared-" + UUID.randomUUID();
        try (RejectedRecords rejections = RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry());
             StatusFollower follower = new StatusFollower(cluster.settings().clientProperties(), topics.status(), clientId, rejections)) {
            Future<PolicyWait.Result> first = commands.submit(() -> new PolicyWait("first", 1, "Available", "True")
                .await(follower, Duration.ofSeconds(60), status -> { }));
            // the second policy becomes Available while the first is waited for: the follower reads it then
            log.send(events.enactment("worker-0", "second", 1, AVAILABLE));
            awaitPolicy("second", s -> conditionTrue(s, "Available"));
            log.send(events.enactment("worker-0", "first", 1, AVAILABLE));
            assertThat(first.get(90, TimeUnit.SECONDS).outcome()).isEqualTo(PolicyWait.Outcome.MET);

            PolicyWait.Result second = new PolicyWait("second", 1, "Available", "True")
                .await(follower, Duration.ofSeconds(10), status -> { });

            assertThat(second.outcome()).as("the second wait starts where the first stopped reading").isEqualTo(PolicyWait.Outcome.MET);
        }
    }

    @Test
    void aNodeWhoseRetriesAllFailedEndsTheWaitAsDegraded() throws Exception {
        publishProgressingPolicy("broken");
        log.send(events.enactment("worker-0", "broken", 1, RETRYING, "Interface eth1: carrier lost (attempt 1 of 2; next in 1000 ms)"));
        awaitPolicy("broken", s -> conditionTrue(s, "Degraded"));

        Future<Result> waiting = commands.submit(() -> run(new WaitCommand(), "nncp/broken", "--for=condition=Available",
            "--timeout=60s"));
        log.send(events.enactment("worker-0", "broken", 1, FAILING, "Interface eth1: carrier lost"));

        Result result = waiting.get(90, TimeUnit.SECONDS);
        assertThat(result.code).as(result.out).isEqualTo(1);
        assertThat(result.err).contains("  worker-0: Interface eth1: carrier lost").doesNotContain("attempt 1 of 2");
    }

    @Test
    void anEarlierGenerationsAvailableNeverEndsTheWaitForTheLatest() throws InterruptedException {
        // a projector of its own, stopped before generation 2: the status still says generation 1 is Available, as it
        // does for a moment after every apply while the projector catches up
        Topics lagging = cluster.createTopics("wait-lag-" + UUID.randomUUID());
        try (EventLog events2 = new EventLog(cluster.settings().clientProperties(), lagging)) {
            try (StatusProjector stopped = StatusProjector.start(cluster.config(), lagging)) {
                events2.send(events.upsert("vlan", 1));
                events2.send(events.matched("vlan", 1, 1));
                events2.send(events.enactment("worker-0", "vlan", 1, AVAILABLE));
                await().atMost(WAIT).until(() -> stopped.view().list(ResourceKind.NNCP).stream()
                    .anyMatch(s -> s.getName().equals("vlan") && conditionTrue(s, "Available")));
            }
            events2.send(events.upsert("vlan", 2));

            Result result = run(new WaitCommand(), lagging, "nncp/vlan", "--for=condition=Available", "--timeout=3s");

            assertThat(result.code).as(result.out + result.err).isEqualTo(2);
            assertThat(result.err).contains("on nodenetworkconfigurationpolicy.nmstate.io/vlan generation 2 (no status yet)");
            Result earlier = run(new WaitCommand(), lagging, "nncp/vlan", "--for=condition=Available", "--generation=1");
            assertThat(earlier.code).as("--generation 1 asks for the earlier one: %s", earlier.err).isZero();
        }
    }

    @Test
    void waitTimesOutWithExitCodeTwoAndSaysWhereThePolicyIs() {
        log.send(events.upsert("slow", 1));
        log.send(events.matched("slow", 1, 3));

        Result result = run(new WaitCommand(), "nncp/slow", "--for=condition=Available", "--timeout=3s");

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("timed out waiting for the condition on nodenetworkconfigurationpolicy.nmstate.io/slow "
            + "generation 1 (Progressing: Policy is progressing 0/3 nodes finished, 3 pending)");
    }

    @Test
    void waitForAPolicyThatMatchesNoNodeSaysSoWhileItWaits() {
        log.send(events.upsert("nowhere", 1));
        log.send(events.matched("nowhere", 1, 0));

        Result result = run(new WaitCommand(), "nncp/nowhere", "--for=condition=Available", "--timeout=3s");

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).startsWith("note: nodenetworkconfigurationpolicy.nmstate.io/nowhere matches no node (Ignored); "
            + "waiting for a node its nodeSelector matches\n").containsOnlyOnce("note:")
            .contains("(Ignored: Policy does not match any node)");
        assertThat(run(new WaitCommand(), "nncp/nowhere", "--for=condition=Ignored", "--timeout=30s").err)
            .as("awaited, it is no news").doesNotContain("note:");
    }

    @Test
    void aPolicyDeletedWhileWaitedForEndsTheWaitInsteadOfRunningIntoTheTimeout() throws Exception {
        log.send(events.upsert("removed", 1));
        log.send(events.matched("removed", 1, 2));
        awaitPolicy("removed", s -> conditionTrue(s, "Progressing"));
        CountDownLatch following = new CountDownLatch(1);
        String clientId = "wait-deleted-" + UUID.randomUUID();
        Future<PolicyWait.Result> waiting;
        try (RejectedRecords rejections = RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry());
             StatusFollower follower = new StatusFollower(cluster.settings().clientProperties(), topics.status(), clientId, rejections)) {
            // onChange sees the Progressing status the wait caught up with: from then on it follows what is published
            waiting = commands.submit(() -> new PolicyWait("removed", 1, "Available", "True")
                .await(follower, Duration.ofSeconds(60), status -> following.countDown()));
            assertThat(following.await(60, TimeUnit.SECONDS)).isTrue();

            log.send(events.delete("removed", 1));

            PolicyWait.Result result = waiting.get(90, TimeUnit.SECONDS);
            assertThat(result.outcome()).isEqualTo(PolicyWait.Outcome.DELETED);
            assertThat(result.policy().getGeneration()).as("the last status seen before the deletion").isEqualTo(1);
        }
        Result afterwards = run(new WaitCommand(), "nncp/removed", "--for=condition=Available", "--timeout=10s");
        assertThat(afterwards.code).isEqualTo(1);
        assertThat(afterwards.err).isEqualTo("Error from server (NotFound): nodenetworkconfigurationpolicies.nmstate.io \"removed\" "
            + "not found\n");
    }

    /**
     * A pipeline that deleted a policy between reading the policies topic and catching up with the status sees the
     * deletion in what it catches up with: it ends the wait (exit 1 "was deleted") instead of running into the timeout.
     */
    @Test
    void aDeletionOfTheAwaitedGenerationAlreadyInTheStatusEndsTheWait() {
        log.send(events.upsert("raced", 1));
        log.send(events.matched("raced", 1, 2));
        awaitPolicy("raced", s -> conditionTrue(s, "Progressing"));
        log.send(events.delete("raced", 1));
        await().atMost(WAIT).until(() -> projector.view().list(ResourceKind.NNCP).stream().noneMatch(s -> s.getName().equals("raced")));
        String clientId = "wait-raced-" + UUID.randomUUID();
        try (RejectedRecords rejections = RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry());
             StatusFollower follower = new StatusFollower(cluster.settings().clientProperties(), topics.status(), clientId, rejections)) {
            PolicyWait.Result result = new PolicyWait("raced", 1, "Available", "True").await(follower, Duration.ofSeconds(20), s -> { });

            assertThat(result.outcome()).isEqualTo(PolicyWait.Outcome.DELETED);
        }
    }

    @Test
    void waitForDeleteEndsOnceThePolicyAndItsEnactmentsAreGoneAndAtOnceForOneThatDoesNotExist() throws Exception {
        log.send(events.upsert("retired", 1));
        log.send(events.matched("retired", 1, 2));
        log.send(events.enactment("worker-0", "retired", 1, AVAILABLE));
        awaitPolicy("retired", s -> conditionTrue(s, "Progressing") && s.getConditions().stream()
            .anyMatch(c -> c.getMessage().contains("1/2 nodes finished")));
        Result stillThere = run(new WaitCommand(), "nncp/retired", "--for=delete", "--timeout=3s");
        assertThat(stillThere.code).isEqualTo(2);
        assertThat(stillThere.err).contains("timed out waiting for the deletion of nodenetworkconfigurationpolicy.nmstate.io/retired "
            + "(Progressing: Policy is progressing 1/2 nodes finished, 1 pending)");

        log.send(events.delete("retired", 1));
        Result reverting = run(new WaitCommand(), "nncp/retired", "--for=delete", "--timeout=3s");
        assertThat(reverting.code).as("worker-0 still holds it (reverting, say): %s", reverting.err).isEqualTo(2);
        assertThat(reverting.err).contains("enactments not yet removed: worker-0.retired");

        Future<Result> waiting = commands.submit(() -> run(new WaitCommand(), "nncp/retired", "--for=delete", "--timeout=60s"));
        log.send(events.enactment("worker-0", "retired", 1, REMOVED));

        Result deleted = waiting.get(90, TimeUnit.SECONDS);
        assertThat(deleted.code).as(deleted.err).isZero();
        assertThat(deleted.out).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/retired condition met\n");
        assertThat(run(new GetCommand(), "nncp").out).as("gone from get once the wait ends").doesNotContain("retired");
        assertThat(run(new GetCommand(), "nnce").out).doesNotContain("retired");

        Result never = run(new WaitCommand(), "nncp/never-created", "--for=delete", "--timeout=10s");
        assertThat(never.code).as("as with kubectl, what does not exist is deleted: %s", never.err).isZero();
        assertThat(never.out).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/never-created condition met\n");
    }

    @Test
    void waitRefusesAMissingPolicyAndABadCondition() {
        Result missing = run(new WaitCommand(), "nncp/nope", "--for=condition=Available", "--timeout=10s");
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err).as("kubectl's words").isEqualTo("Error from server (NotFound): nodenetworkconfigurationpolicies.nmstate.io "
            + "\"nope\" not found\n");

        Result badFor = run(new WaitCommand(), "nncp/mtu", "--for=Available");
        assertThat(badFor.code).isEqualTo(2);
        assertThat(badFor.err).contains("Invalid --for 'Available': expected condition=TYPE or condition=TYPE=True|False");

        Result misspelt = run(new WaitCommand(), "nncp/mtu", "--for=condition=Availble", "--timeout=10s");
        assertThat(misspelt.code).as("refused at once, not waited for until the timeout").isEqualTo(2);
        assertThat(misspelt.err).contains("Invalid --for 'condition=Availble': an NNCP has no condition Availble; did you mean "
            + "Available? (its conditions: Available, Degraded, Progressing, Ignored)");

        Result badResource = run(new WaitCommand(), "pod/mtu", "--for=condition=Available");
        assertThat(badResource.err).contains("Invalid resource 'pod/mtu': expected nncp/NAME");
        Result bareName = run(new WaitCommand(), "mtu", "--for=condition=Available");
        assertThat(bareName.code).isEqualTo(2);
        assertThat(bareName.err).contains("Invalid resource 'mtu': expected nncp/NAME");
        Result typeTwice = run(new WaitCommand(), "nncp", "nncp/mtu", "--for=condition=Available");
        assertThat(typeTwice.code).isEqualTo(2);
        assertThat(typeTwice.err).contains("there is no need to specify a resource type as a separate argument when passing arguments in "
            + "resource/name form (e.g. 'nmstream wait nncp/NAME' instead of 'nmstream wait nncp nncp/NAME'): 'nncp/mtu'");

        Result generationOfTwo = run(new WaitCommand(), "nncp/a", "nncp/b", "--generation=1", "--for=condition=Available");
        assertThat(generationOfTwo.code).isEqualTo(2);
        assertThat(generationOfTwo.err).contains("--generation names the generation of one policy: give one nncp/NAME");
        Result allOfOne = run(new WaitCommand(), "nncp/a", "--all", "--for=condition=Available");
        assertThat(allOfOne.code).isEqualTo(2);
        assertThat(allOfOne.err).contains("--all takes the type alone: wait nncp --all");
    }

    @Test
    void severalPoliciesAreWaitedForInTurnAndAllWaitsForEveryPolicy() throws Exception {
        // topics of its own: --all waits for every policy there is
        Topics own = cluster.createTopics("wait-all-" + UUID.randomUUID());
        try (StatusProjector ownProjector = StatusProjector.start(cluster.config(), own);
             EventLog ownLog = new EventLog(cluster.settings().clientProperties(), own)) {
            assertThat(ownProjector.awaitCaughtUp(WAIT)).isTrue();
            Result none = run(new WaitCommand(), own, "nncp", "--all", "--for=condition=Available", "--timeout=10s");
            assertThat(none.code).isEqualTo(1);
            assertThat(none.err).as("kubectl's words").isEqualTo("error: no matching resources found\n");
            for (String policy : List.of("a", "b")) {
                ownLog.send(events.upsert(policy, 1));
                ownLog.send(events.matched(policy, 1, 1));
            }

            // as $(get nncp -o name) and policy apply name them
            Future<Result> both = commands.submit(() -> run(new WaitCommand(), own, "nodenetworkconfigurationpolicy.nmstate.io/a",
                "policy/b", "--for=condition=Available", "--timeout=60s"));
            Future<Result> every = commands.submit(() -> run(new WaitCommand(), own, "nncp", "--all", "--for=condition=Available",
                "--timeout=60s"));
            ownLog.send(events.enactment("worker-0", "b", 1, AVAILABLE));
            ownLog.send(events.enactment("worker-0", "a", 1, AVAILABLE));

            String met = "nodenetworkconfigurationpolicy.nmstate.io/a condition met\n"
                + "nodenetworkconfigurationpolicy.nmstate.io/b condition met\n";
            Result bothResult = both.get(90, TimeUnit.SECONDS);
            assertThat(bothResult.code).as(bothResult.err).isZero();
            assertThat(bothResult.out).isEqualTo(met);
            Result everyResult = every.get(90, TimeUnit.SECONDS);
            assertThat(everyResult.code).as(everyResult.err).isZero();
            assertThat(everyResult.out).isEqualTo(met);
            Result typeThenNames = run(new WaitCommand(), own, "nncp", "b", "a", "--for=condition=Available", "--timeout=60s");
            assertThat(typeThenNames.code).as("kubectl's other form: %s", typeThenNames.err).isZero();
            assertThat(typeThenNames.out).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/b condition met\n"
                + "nodenetworkconfigurationpolicy.nmstate.io/a condition met\n");

            ownLog.send(events.upsert("c", 1));
            ownLog.send(events.matched("c", 1, 1));
            ownLog.send(events.enactment("worker-0", "c", 1, FAILING, "Interface eth1: MTU 9216 exceeds the maximum supported"));
            Result degraded = run(new WaitCommand(), own, "nncp/a", "nncp/c", "nncp/b", "--for=condition=Available", "--timeout=60s");
            assertThat(degraded.code).as("the first that fails ends the wait, with its exit code").isEqualTo(1);
            assertThat(degraded.out).isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/a condition met\n");
            assertThat(degraded.err).contains("nodenetworkconfigurationpolicy.nmstate.io/c generation 1 is Degraded")
                .contains("worker-0: Interface eth1: MTU 9216 exceeds the maximum supported");
        }
    }

    @Test
    void getWatchPrintsTheListThenEachChangeAsItHappens() throws Exception {
        publishProgressingPolicy("watched");
        StringWriter out = new StringWriter();
        Future<Integer> watching = watch(out, "nncp", "watched", "-w");
        await().atMost(WAIT).until(() -> out.toString().contains("watched"));
        assertThat(out.toString()).startsWith("NAME").containsPattern("watched\\s+Progressing\\s+ConfigurationProgressing");

        log.send(events.enactment("worker-0", "watched", 1, AVAILABLE));

        await().atMost(WAIT).until(() -> out.toString().matches("(?s).*watched\\s+Available\\s+SuccessfullyConfigured.*"));
        watching.cancel(true);
        assertThat(out.toString().lines().filter(line -> line.startsWith("NAME")).count()).as("one header, then rows").isEqualTo(1);
    }

    @Test
    void getWatchAsYamlPrintsEachPolicyWithTheSpecOfTheGenerationItsStatusDescribes() throws Exception {
        publishProgressingPolicy("specced");
        StringWriter out = new StringWriter();
        Future<Integer> watching = watch(out, "nncp/specced", "-w", "-o", "yaml");
        await().atMost(WAIT).until(() -> out.toString().contains("observedGeneration: 1"));
        assertThat(out.toString()).contains("kind: NodeNetworkConfigurationPolicy").contains("  generation: 1\n")
            .contains("spec:").contains("desiredState:").contains("status:");

        log.send(events.upsert("specced", 2));
        log.send(events.matched("specced", 2, 1));

        await().atMost(WAIT).until(() -> out.toString().contains("observedGeneration: 2"));
        watching.cancel(true);
        assertThat(out.toString().substring(out.toString().lastIndexOf("---"))).as("the policy published since the watch began")
            .contains("  generation: 2\n").contains("observedGeneration: 2");
    }

    @Test
    void getWatchAsNamesPrintsTheNameOfEachChange() throws Exception {
        publishProgressingPolicy("named");
        StringWriter out = new StringWriter();
        Future<Integer> watching = watch(out, "nncp/named", "-w", "-o", "name");
        await().atMost(WAIT).until(() -> out.toString().equals("nodenetworkconfigurationpolicy.nmstate.io/named\n"));

        log.send(events.enactment("worker-0", "named", 1, AVAILABLE));

        await().atMost(WAIT).until(() -> out.toString().lines().count() == 2);
        watching.cancel(true);
        assertThat(out.toString().lines()).containsOnly("nodenetworkconfigurationpolicy.nmstate.io/named");
    }

    @Test
    void getWatchSaysWhenAPolicyAndItsEnactmentsAreDeleted() throws Exception {
        log.send(events.upsert("short-lived", 1));
        log.send(events.matched("short-lived", 1, 1));
        log.send(events.enactment("worker-0", "short-lived", 1, AVAILABLE));
        awaitPolicy("short-lived", s -> conditionTrue(s, "Available"));
        StringWriter policies = new StringWriter();
        StringWriter enactments = new StringWriter();
        Future<Integer> watchingPolicies = watch(policies, "nncp", "short-lived", "-w", "--output-watch-events");
        Future<Integer> watchingEnactments = watch(enactments, "nnce", "worker-0.short-lived", "-w");
        await().atMost(WAIT).until(() -> policies.toString().contains("short-lived") && enactments.toString().contains("short-lived"));

        log.send(events.delete("short-lived", 1));
        log.send(events.enactment("worker-0", "short-lived", 1, REMOVED));

        await().atMost(WAIT).until(() -> policies.toString().contains("DELETED"));
        await().atMost(WAIT).until(() -> enactments.toString().lines().filter(line -> line.startsWith("worker-0.short-lived")).count() > 1);
        watchingPolicies.cancel(true);
        watchingEnactments.cancel(true);
        assertThat(policies.toString()).containsPattern("EVENT\\s+NAME\\s+STATUS\\s+REASON\n"
            + "ADDED\\s+short-lived\\s+Available\\s+SuccessfullyConfigured\n"
            + "DELETED\\s+short-lived\\s+Available\\s+SuccessfullyConfigured\n");
        assertThat(enactments.toString()).as("the deleted NNCE, with its last status, as kubectl get -w prints it")
            .containsPattern("worker-0.short-lived\\s+Available\\s.*\n(.*\n)*worker-0.short-lived\\s+Available\\s.*\n");
    }

    private void awaitPolicy(String name, Predicate<ResourceStatus> state) {
        await().atMost(WAIT).until(() -> projector.view().list(ResourceKind.NNCP).stream()
            .anyMatch(s -> s.getName().equals(name) && state.test(s)));
    }

    private static boolean conditionTrue(ResourceStatus status, String type) {
        return status.getConditions().stream().anyMatch(c -> c.getType().equals(type) && c.getStatus().equals("True"));
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(Object command, String... args) {
        return run(command, topics, args);
    }

    private Result run(Object command, Topics in, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(connection(in, args));
        return new Result(code, out.toString(), err.toString());
    }

    private String[] connection(String... args) {
        return connection(topics, args);
    }

    private String[] connection(Topics in, String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
            cluster.registryUrl(), "--namespace", in.namespace()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** {@code get args...} in the background, printing into {@code out}, until cancelled. */
    private Future<Integer> watch(StringWriter out, String... args) {
        return commands.submit(() -> new CommandLine(new GetCommand()).setOut(new PrintWriter(out))
            .setErr(new PrintWriter(new StringWriter())).execute(connection(args)));
    }

    /** Publishes generation 1 of {@code policy}, matched to one node, and waits until its status is Progressing. */
    private void publishProgressingPolicy(String policy) {
        log.send(events.upsert(policy, 1));
        log.send(events.matched(policy, 1, 1));
        awaitPolicy(policy, s -> conditionTrue(s, "Progressing"));
    }
}
