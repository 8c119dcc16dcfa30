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

  /** True while an attached pump runs (it then owns the session and releases the lock). */
  synchronized boolean pumpRunning() {
    return pump != null && pump.isRunning();
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
