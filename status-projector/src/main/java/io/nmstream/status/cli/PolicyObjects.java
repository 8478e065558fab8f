package io.nmstream.status.cli;

import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.resources.NmstateDocuments;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Policy statuses as kubectl shows NNCP objects: each with the manifest in force (metadata and spec) from the policies
 * topic. The policies are read once, and again when a status shows a generation published since: a watch that runs
 * while policies change shows each one's new spec.
 */
final class PolicyObjects implements Function<ResourceStatus, Map<String, Object>> {

    private final Supplier<Map<String, PolicyEvent>> readPolicies;
    private Map<String, PolicyEvent> policies;
    /** The generation of each policy whose status last made this read the topic again: one read per generation at most. */
    private final Map<String, Long> readAgainFor = new HashMap<>();

    /** @param readPolicies the latest event of every policy, by name */
    PolicyObjects(Supplier<Map<String, PolicyEvent>> readPolicies) {
        this.readPolicies = readPolicies;
        this.policies = readPolicies.get();
    }

    /** The object; the status alone for a policy deleted (or not yet read) by the time its status is printed. */
    @Override
    public Map<String, Object> apply(ResourceStatus status) {
        PolicyEvent policy = policies.get(status.getName());
        if (!status.getDeleted() && (policy == null || policy.getGeneration() < status.getGeneration())
            && readAgainFor.getOrDefault(status.getName(), -1L) < status.getGeneration()) {
            // a policy the topic did not have (a record set aside, say) is not read again for every status of it
            readAgainFor.put(status.getName(), status.getGeneration());
            policies = readPolicies.get();
            policy = policies.get(status.getName());
        }
        return policy != null && policy.getAction() == PolicyAction.UPSERT ? NmstateDocuments.policyObject(policy, status)
            : NmstateDocuments.object(status);
    }
}
