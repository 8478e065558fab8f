package io.nmstream.bench.report;

import java.util.Arrays;
import java.util.List;

/** Percentiles of a sample by the nearest-rank method (p50 of 1..10 is 5, p95 of 1..20 is 19), and its median. */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * The smallest value such that at least {@code percent} % of the sample is at most it.
     *
     * @throws IllegalArgumentException when the sample is empty or the percentage is outside (0, 100]
     */
    public static double of(double[] sample, double percent) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("Cannot take a percentile of an empty sample");
        }
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent has value " + percent + ": it must be in (0, 100]");
        }
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** The middle value of the sample, or the mean of the two middle ones when the sample has an even size. */
    public static double median(double[] sample) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("Cannot take the median of an empty sample");
        }
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The median of a list of samples. */
    public static double median(List<Double> sample) {
        return median(sample.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
