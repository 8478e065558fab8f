package io.nmstream.bench.rollout;

import io.nmstream.bench.BenchRun;
import io.nmstream.bench.Scenario;
import io.nmstream.bench.baseline.HopChain;
import io.nmstream.bench.report.Measurement;
import io.nmstream.bench.report.Outcome;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fleet rollout: the time from publishing one policy to every NNCE Available, for each fleet size, against plain Kafka
 * clients moving the same records (counted per topic after the nmstream run) through the same hops: policies, commands,
 * enactments, status.
 */
public final class RolloutScenario implements Scenario {

    /** Smallest baseline/nmstream ratio accepted at 10,000 nodes. */
    static final double RATIO_TARGET = 0.5;
    /** Longest accepted 100,000-node rollout, on 2 cores. */
    static final double LARGE_FLEET_MILLIS = 60_000;

    @Override
    public String name() {
        return "rollout";
    }

    @Override
    public List<Measurement> run(BenchRun run) throws Exception {
        List<Measurement> rows = new ArrayList<>();
        for (int nodes : run.nodes()) {
            for (String maxUnavailable : run.maxUnavailable()) {
                rows.add(measure(run, nodes, maxUnavailable));
            }
        }
        return rows;
    }

    private Measurement measure(BenchRun run, int nodes, String maxUnavailable) throws Exception {
        boolean unlimited = NmstreamRollout.UNLIMITED.equals(maxUnavailable);
        String namespace = run.namespace(name(), nodes + (unlimited ? "" : "-" + maxUnavailable.replace("%", "pct")));
        NmstreamRollout.Result nmstream = new NmstreamRollout(run.cluster(), run.fleet(), run.serviceSettings(), run.timeout(),
            maxUnavailable).run(nodes, namespace, List.of());
        Topics baselineTopics = run.cluster().createTopics(namespace + "-baseline");
        List<Topic<?, ?>> hops = List.of(baselineTopics.policies(), baselineTopics.commands(), baselineTopics.enactments(),
            baselineTopics.status());
        List<HopChain.Stage> stages = new ArrayList<>();
        for (int i = 0; i < hops.size(); i++) {
            TopicCensus.Count count = nmstream.census().get(i);
            stages.add(new HopChain.Stage(hops.get(i), Math.max(count.records(), 1), (int) Math.round(count.meanKeyBytes()),
                (int) Math.round(count.meanValueBytes())));
        }
        HopChain.Result baseline = HopChain.run(run.cluster().settings().clientProperties(), stages, run.timeout());

        Map<String, Object> details = new LinkedHashMap<>(nmstream.details());
        details.put("recordsPerTopic", describe(nmstream.census()));
        details.put("reconcilerInternalTopics", describe(nmstream.internal()));
        details.put("baselineRecordsMoved", baseline.recordsMoved());
        details.put("maxUnavailable", maxUnavailable);
        double ratio = baseline.elapsedMillis() / nmstream.elapsedMillis();
        String target = "-";
        Outcome outcome = Outcome.NOT_JUDGED;
        if (!unlimited) {
            // the targets below were set for maxUnavailable 100%
            target = "-";
        } else if (nodes == 10_000) {
            target = "ratio >= " + RATIO_TARGET;
            outcome = Outcome.of(ratio >= RATIO_TARGET);
        } else if (nodes == 100_000) {
            target = "nmstream <= 60 s on 2 cores";
            int cores = Runtime.getRuntime().availableProcessors();
            outcome = cores == 2 ? Outcome.of(nmstream.elapsedMillis() <= LARGE_FLEET_MILLIS) : Outcome.NOT_JUDGED;
            details.put("cores", cores);
        }
        String size = nodes + " nodes" + (unlimited ? "" : ", maxUnavailable " + maxUnavailable);
        return new Measurement(name(), size, nmstream.elapsedMillis(), baseline.elapsedMillis(), "ms", target, outcome,
            details);
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
