package io.nmstream.bench.rollout;

import io.nmstream.bench.BenchRun;
import io.nmstream.bench.Scenario;
import io.nmstream.bench.baseline.HopChain;
import io.nmstream.bench.report.Measurement;
import io.nmstream.bench.report.Outcome;
import io.nmstream.bench.report.Percentiles;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fleet rollout: for each fleet size, the time from publishing a policy to its NNCP Available in the status topic, at
 * each {@code maxUnavailable} variant, against the limit: plain Kafka clients moving the same records (counted per
 * topic after each nmstream run) through the same hops (policies, commands, enactments, status).
 *
 * <p>Each size gets one nmstream installation. It first rolls out, unmeasured, the policy's first generation at every
 * variant, each followed by its baseline; then it rolls out {@code runs} rounds of one new generation per variant,
 * interleaved so that the machine's ups and downs fall on every variant alike, each followed by its baseline. Every
 * figure is the median of its runs; the ratios of the limited variants to 100% are ratios of those medians.
 */
public final class RolloutScenario implements Scenario {

    /** The fleet size at which the ratios are judged. */
    static final int JUDGED_SIZE = 10_000;
    /** Smallest accepted baseline/nmstream ratio at {@link #JUDGED_SIZE} nodes. */
    static final double BASELINE_RATIO_TARGET = 0.3;
    /** Largest accepted time of the default variant over the time of 100%, at {@link #JUDGED_SIZE} nodes. */
    static final double DEFAULT_OVER_UNLIMITED_TARGET = 1.5;
    /** Largest accepted time of 10% over the time of 100%, at {@link #JUDGED_SIZE} nodes. */
    static final double TEN_PERCENT_OVER_UNLIMITED_TARGET = 2;
    /** The fleet size whose default rollout has a time limit, on 2 cores. */
    static final int LARGE_FLEET = 100_000;
    /** Longest accepted rollout of {@link #LARGE_FLEET} nodes at the default, on 2 cores. */
    static final double LARGE_FLEET_MILLIS = 60_000;

    @Override
    public String name() {
        return "rollout";
    }

    @Override
    public List<Measurement> run(BenchRun run) throws Exception {
        List<Measurement> rows = new ArrayList<>();
        for (int nodes : run.nodes()) {
            rows.addAll(measure(run, nodes));
        }
        return rows;
    }

    /** Every run of one variant at one size: nmstream's times and their baselines' times, in milliseconds. */
    private static final class Runs {
        final List<Double> nmstream = new ArrayList<>();
        final List<Double> baseline = new ArrayList<>();
        RolloutEnvironment.Result last;
        HopChain.Result lastBaseline;
    }

    private List<Measurement> measure(BenchRun run, int nodes) throws Exception {
        String namespace = run.namespace(name(), nodes);
        Topics baselineTopics = run.cluster().createTopics(namespace + "-baseline");
        Map<RolloutVariant, Runs> byVariant = new LinkedHashMap<>();
        run.variants().forEach(v -> byVariant.put(v, new Runs()));
        Map<String, Object> environment;
        try (RolloutEnvironment nmstream = RolloutEnvironment.start(run.cluster(), run.fleet(), run.serviceSettings(), nodes, namespace,
                 List.of(), run.timeout())) {
            for (int warmup = 0; warmup < run.warmups(); warmup++) {
                for (RolloutVariant variant : run.variants()) {
                    baseline(run, baselineTopics, nmstream.rollout(variant));
                }
            }
            for (int round = 0; round < run.runs(); round++) {
                for (RolloutVariant variant : run.variants()) {
                    Runs runs = byVariant.get(variant);
                    runs.last = nmstream.rollout(variant);
                    runs.lastBaseline = baseline(run, baselineTopics, runs.last);
                    runs.nmstream.add(runs.last.elapsedMillis());
                    runs.baseline.add(runs.lastBaseline.elapsedMillis());
                }
            }
            environment = nmstream.description();
        }
        List<Measurement> rows = new ArrayList<>();
        byVariant.forEach((variant, runs) -> rows.add(row(run, nodes, variant, runs, environment)));
        Runs unlimited = byVariant.get(RolloutVariant.UNLIMITED);
        if (unlimited != null) {
            byVariant.forEach((variant, runs) -> {
                if (!variant.equals(RolloutVariant.UNLIMITED)) {
                    rows.add(ratioToUnlimited(run, nodes, variant, runs, unlimited));
                }
            });
        }
        return rows;
    }

    /** Moves the records {@code rollout} wrote through plain clients; the time it takes is the limit. */
    private static HopChain.Result baseline(BenchRun run, Topics topics, RolloutEnvironment.Result rollout) throws InterruptedException {
        List<Topic<?, ?>> hops = List.of(topics.policies(), topics.commands(), topics.enactments(), topics.status());
        List<HopChain.Stage> stages = new ArrayList<>();
        for (int i = 0; i < hops.size(); i++) {
            TopicCensus.Count count = rollout.census().get(i);
            stages.add(new HopChain.Stage(hops.get(i), Math.max(count.records(), 1), (int) Math.round(count.meanKeyBytes()),
                (int) Math.round(count.meanValueBytes())));
        }
        return HopChain.run(run.cluster().settings().clientProperties(), stages, run.timeout());
    }

    private Measurement row(BenchRun run, int nodes, RolloutVariant variant, Runs runs, Map<String, Object> environment) {
        double nmstream = Percentiles.median(runs.nmstream);
        double baseline = Percentiles.median(runs.baseline);
        Map<String, Object> details = new LinkedHashMap<>(environment);
        details.put("maxUnavailable", variant.effective());
        details.put("nmstreamRunsMillis", rounded(runs.nmstream));
        details.put("baselineRunsMillis", rounded(runs.baseline));
        details.put("warmupRounds", run.warmups());
        details.putAll(runs.last.details());
        details.put("recordsPerTopic", describe(runs.last.census()));
        details.put("otherTopicsOffsetsAdvanced", runs.last.others());
        details.put("baselineRecordsMoved", runs.lastBaseline.recordsMoved());
        String target = "-";
        Outcome outcome = Outcome.NOT_JUDGED;
        if (nodes == JUDGED_SIZE) {
            target = "baseline/nmstream >= " + BASELINE_RATIO_TARGET;
            outcome = Outcome.of(baseline / nmstream >= BASELINE_RATIO_TARGET);
        } else if (nodes == LARGE_FLEET && variant.maxUnavailable() == null) {
            target = "nmstream <= 60 s on 2 cores";
            int cores = Runtime.getRuntime().availableProcessors();
            outcome = cores == 2 ? Outcome.of(nmstream <= LARGE_FLEET_MILLIS) : Outcome.NOT_JUDGED;
            details.put("cores", cores);
        }
        return new Measurement(name(), nodes + " nodes, maxUnavailable " + variant.label(), nmstream, baseline, "ms", runs.nmstream.size(),
            target, outcome, details);
    }

    /** How much longer the variant takes than 100% (nobody held back): the cost of the limit. */
    private Measurement ratioToUnlimited(BenchRun run, int nodes, RolloutVariant variant, Runs runs, Runs unlimited) {
        double ratio = Percentiles.median(runs.nmstream) / Percentiles.median(unlimited.nmstream);
        String target = "-";
        Outcome outcome = Outcome.NOT_JUDGED;
        if (nodes == JUDGED_SIZE && variant.maxUnavailable() == null) {
            target = "<= " + DEFAULT_OVER_UNLIMITED_TARGET;
            outcome = Outcome.of(ratio <= DEFAULT_OVER_UNLIMITED_TARGET);
        } else if (nodes == JUDGED_SIZE && "10%".equals(variant.maxUnavailable())) {
            target = "<= " + TEN_PERCENT_OVER_UNLIMITED_TARGET;
            outcome = Outcome.of(ratio <= TEN_PERCENT_OVER_UNLIMITED_TARGET);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("variantMedianMillis", Percentiles.median(runs.nmstream));
        details.put("unlimitedMedianMillis", Percentiles.median(unlimited.nmstream));
        return new Measurement(name(), nodes + " nodes, time " + variant.label() + " / time 100%", ratio, Double.NaN, "x",
            runs.nmstream.size(), target, outcome, details);
    }

    private static List<Double> rounded(List<Double> millis) {
        return millis.stream().map(m -> Math.round(m * 10) / 10.0).toList();
    }

    private static List<Map<String, Object>> describe(List<TopicCensus.Count> counts) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TopicCensus.Count c : counts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("topic", c.topic());
            m.put("records", c.records());
            m.put("meanKeyBytes", Math.round(c.meanKeyBytes() * 10) / 10.0);
            m.put("meanValueBytes", Math.round(c.meanValueBytes() * 10) / 10.0);
            out.add(m);
        }
        return out;
    }
}
