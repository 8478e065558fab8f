/**
 * The reconciler: a Kafka Streams application that matches policies to nodes and rolls each policy generation out
 * under its maxUnavailable. {@link io.nmstream.reconciler.ReconcilerTopology} builds it, {@link
 * io.nmstream.reconciler.ReconcilerService} runs it, {@link io.nmstream.reconciler.ReconcilerCommand} and {@link
 * io.nmstream.reconciler.ReconcilerMain} start it from the command line.
 */
package io.nmstream.reconciler;
