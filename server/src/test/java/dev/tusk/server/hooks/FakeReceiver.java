package dev.tusk.server.hooks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A receiver that answers from a script of outcomes and records what it was sent. Thread-safe. */
final class FakeReceiver implements Receiver {
  private final String name;
  private final Deque<Object> script = new ArrayDeque<>();
  private Object fallback = HookResponse.EMPTY;
  final List<Invocation> calls = new CopyOnWriteArrayList<>();

  FakeReceiver(String name) {
    this.name = name;
  }

  /** Next answers, in order: a HookResponse or a HookFailure; the last one repeats. */
  synchronized FakeReceiver then(Object... outcomes) {
    for (Object o : outcomes) {
      script.add(o);
      fallback = o;
    }
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Duration timeout() {
    return Duration.ofSeconds(1);
  }

  @Override
  public HookResponse call(Invocation invocation) throws HookFailure {
    calls.add(invocation);
    Object next;
    synchronized (this) {
      next = script.isEmpty() ? fallback : script.poll();
    }
    if (next instanceof HookFailure f) {
      throw new HookFailure(f.kind(), f.status(), f.getMessage());
    }
    return (HookResponse) next;
  }

  static HookFailure down() {
    return new HookFailure(HookFailure.Kind.CONNECT, "connection refused");
  }

  static HookResponse answer(String json) {
    return HookResponse.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
