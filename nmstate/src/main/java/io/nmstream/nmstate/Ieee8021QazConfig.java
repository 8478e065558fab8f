package io.nmstream.nmstate;

import java.util.List;

/**
 * The IEEE 802.1Qaz (DCB) block of an ethernet interface, {@code ieee-8021Qaz}, as RoCE policies write it: priority
 * flow control (PFC) for some 802.1p priorities, and enhanced transmission selection (ETS) shares per traffic class.
 *
 * <pre>
 * ieee-8021Qaz:
 *   pfc: {enabled: [3], delay: 0}
 *   ets:
 *     traffic-class:
 *       - {traffic-class: 0, bandwidth: 70, algorithm: enhanced-transmission-selection}
 *       - {traffic-class: 3, bandwidth: 30, algorithm: enhanced-transmission-selection}
 * </pre>
 *
 * @param pfcEnabled {@code pfc.enabled}: priorities (0-7) with PFC on, the others off; null when PFC is not given
 * @param pfcDelay {@code pfc.delay}: PFC delay allowance in bits; null when not given
 * @param trafficClasses {@code ets.traffic-class}; null when ETS is not given
 */
public record Ieee8021QazConfig(List<Integer> pfcEnabled, Integer pfcDelay, List<TrafficClass> trafficClasses) {

    /** 802.1p priorities, and traffic classes, are numbered 0 to 7. */
    public static final int PRIORITIES = 8;
    /** {@code algorithm} of a class with a guaranteed share of the link. */
    public static final String ETS = "enhanced-transmission-selection";
    /** {@code algorithm} of a strict-priority class (served first, no share). */
    public static final String STRICT = "strict-priority";

    public Ieee8021QazConfig {
        pfcEnabled = pfcEnabled == null ? null : List.copyOf(pfcEnabled);
        trafficClasses = trafficClasses == null ? null : List.copyOf(trafficClasses);
    }

    /**
     * One entry of {@code ets.traffic-class}.
     *
     * @param trafficClass {@code traffic-class}: 0-7; priority N is carried by class N when that class is listed, and by the
     *     lowest listed class otherwise
     * @param bandwidth {@code bandwidth}: percent of the link (the ETS classes add up to 100; strict classes have 0)
     * @param algorithm {@code algorithm}: {@link #ETS} or {@link #STRICT}
     */
    public record TrafficClass(int trafficClass, int bandwidth, String algorithm) {
    }
}
