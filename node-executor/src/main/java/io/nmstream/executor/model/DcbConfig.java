package io.nmstream.executor.model;

import java.util.List;

/**
 * The IEEE 802.1Qaz block of an ethernet interface ({@code ieee-802-1qaz}): priority flow control (PFC) and enhanced
 * transmission selection (ETS), eight entries per list, one per 802.1p priority (or per priority group).
 *
 * @param pfc per priority: whether PAUSE frames are honoured for it; null when not given
 * @param priorityGroup per priority: its priority group, 0-7 (15 = strict, no bandwidth limit); null when not given
 * @param groupBandwidth per priority group: percentage of the link, summing to 100; null when not given
 */
public record DcbConfig(List<Boolean> pfc, List<Integer> priorityGroup, List<Integer> groupBandwidth) {

    /** Entries in each list: one per 802.1p priority. */
    public static final int PRIORITIES = 8;

    public DcbConfig {
        pfc = pfc == null ? null : List.copyOf(pfc);
        priorityGroup = priorityGroup == null ? null : List.copyOf(priorityGroup);
        groupBandwidth = groupBandwidth == null ? null : List.copyOf(groupBandwidth);
    }

    /** True when the block configures ETS (both the priority groups and their bandwidth). */
    public boolean hasEts() {
        return priorityGroup != null || groupBandwidth != null;
    }
}
