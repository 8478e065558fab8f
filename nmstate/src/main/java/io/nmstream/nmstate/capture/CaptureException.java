package io.nmstream.nmstate.capture;

/**
 * A policy's captures could not be resolved on this host, or its desired state names something its captures do not
 * hold. The message names the capture, its expression and what was missing, in the user's terms.
 */
public final class CaptureException extends Exception {

    CaptureException(String message) {
        super(message);
    }
}
