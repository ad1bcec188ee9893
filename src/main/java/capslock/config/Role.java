package capslock.config;

/**
 * What one capslock process does in a cluster (config key {@code role}): the network front ends,
 * the uppercase workers, or both. Alone, a process is always {@link #ALL}.
 */
public enum Role {
  /** The TCP and UDP endpoints only: every piece of text goes to workers on other nodes. */
  ENDPOINTS,
  /** The uppercase workers only: no TCP or UDP port is bound. */
  WORKERS,
  /** Both (the default). */
  ALL;

  public boolean servesEndpoints() {
    return this != WORKERS;
  }

  public boolean runsWorkers() {
    return this != ENDPOINTS;
  }
}
