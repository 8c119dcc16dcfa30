package dev.tusk.server.handlers;

/**
 * Forwards a lock's release request to the request's {@link BodyPump}, remembering a request
 * that arrives before the pump exists. Thread-safe.
 */
public final class StopRelay implements Runnable {
  private BodyPump pump;
  private boolean requested;

  @Override
  public void run() {
    BodyPump target;
    synchronized (this) {
      requested = true;
      target = pump;
    }
    if (target != null) {
      target.requestStop();
    }
  }

  /**
   * Runs {@code release} once the request's pump (if one was attached) has ended and its outcome
   * ran; at once without a pump. For what the exchange's end releases: a pump still running needs
   * it until it is done.
   */
  void afterPump(Runnable release) {
    BodyPump attached;
    synchronized (this) {
      attached = pump;
    }
    if (attached == null) {
      release.run();
    } else {
      attached.afterOutcome(release);
    }
  }

  /** Attaches the pump; a release requested earlier stops it at once. */
  void attach(BodyPump newPump) {
    boolean stopNow;
    synchronized (this) {
      pump = newPump;
      stopNow = requested;
    }
    if (stopNow) {
      newPump.requestStop();
    }
  }
}
