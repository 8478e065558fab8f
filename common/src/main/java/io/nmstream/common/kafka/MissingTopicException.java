package io.nmstream.common.kafka;

/**
 * A topic a reader needs does not exist: for a command, most often a topic namespace that is not the cluster's, so the
 * message says how to name it before it says to create the topics.
 */
public final class MissingTopicException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public MissingTopicException(String topic) {
        super("Topic '" + topic + "' does not exist: is the topic namespace right? (--namespace or "
            + ClusterSettings.TOPIC_NAMESPACE.envVar() + "; nmstream up's is the default, '"
            + ClusterSettings.TOPIC_NAMESPACE.defaultValue() + "'); otherwise create nmstream's topics first");
    }
}
