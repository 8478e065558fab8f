package io.nmstream.executor.backend;

/** The connectivity checks run after an apply, as kubernetes-nmstate runs them. */
public enum Probe {
    /** The default gateway answers. */
    DEFAULT_GATEWAY,
    /** A configured name server answers a query. */
    DNS
}
