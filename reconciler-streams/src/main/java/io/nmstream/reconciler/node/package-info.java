/**
 * The node-partitioned half of the reconciler: each node's labels, matched policies and running command, and the
 * commands and enactment events that follow from them.
 */
package io.nmstream.reconciler.node;
