package dev.tusk.server.expiry;

/**
 * What one expiry sweep did.
 *
 * @param swept false if another instance of the fleet held the sweep this round (then all is 0)
 * @param examined uploads whose info the sweeper read
 * @param deleted expired uploads deleted
 * @param storeCalls calls the sweeper made to the store (listings, finds, index changes,
 *     terminations); with an expiry index and nothing due this is 1, however many are stored
 */
public record Sweep(boolean swept, long examined, long deleted, long storeCalls) {
  static final Sweep SKIPPED = new Sweep(false, 0, 0, 0);
}
