package io.nmstream.executor.backend;

/**
 * A snapshot of the host's devices that an apply can be rolled back to.
 *
 * @param id the backend's name for it (a D-Bus object path for NetworkManager)
 */
public record Checkpoint(String id) {

    @Override
    public String toString() {
        return id;
    }
}
