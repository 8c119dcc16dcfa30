package dev.tusk.server.policy;

import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several policies as one: {@code before*} calls run in order, each seeing the previous one's
 * result, and the first rejection wins ("any rejection wins"); {@code onProgress} stops if any
 * policy says so; {@code after*} calls all run, a failure of one is logged and does not keep the
 * others from running.
 */
public final class UploadPolicies implements UploadPolicy {
  private static final Logger LOG = LoggerFactory.getLogger(UploadPolicies.class);
  private final List<UploadPolicy> policies;

  private UploadPolicies(List<UploadPolicy> policies) {
    this.policies = List.copyOf(policies);
  }

  /** One policy standing for all of {@code policies}; {@link UploadPolicy#NONE} if empty. */
  public static UploadPolicy of(List<UploadPolicy> policies) {
    List<UploadPolicy> real = policies.stream().filter(p -> p != NONE).toList();
    if (real.isEmpty()) {
      return NONE;
    }
    return real.size() == 1 ? real.get(0) : new UploadPolicies(real);
  }

  @Override
  public UploadInfo beforeCreate(RequestContext request, UploadInfo draft) throws IOException {
    UploadInfo current = draft;
    for (UploadPolicy p : policies) {
      current = p.beforeCreate(request, current);
    }
    return current;
  }

  @Override
  public void afterCreate(RequestContext request, UploadInfo info) {
    each(p -> p.afterCreate(request, info));
  }

  @Override
  public void beforeAccess(RequestContext request, UploadInfo info, Access access) throws IOException {
    for (UploadPolicy p : policies) {
      p.beforeAccess(request, info, access);
    }
  }

  @Override
  public boolean accessMayBlock() {
    return policies.stream().anyMatch(UploadPolicy::accessMayBlock);
  }

  @Override
  public boolean onProgress(RequestContext request, UploadInfo info) {
    boolean stop = false;
    for (UploadPolicy p : policies) {
      stop |= p.onProgress(request, info);
    }
    return stop;
  }

  @Override
  public UploadInfo beforeFinish(RequestContext request, UploadInfo info) throws IOException {
    UploadInfo current = info;
    for (UploadPolicy p : policies) {
      current = p.beforeFinish(request, current);
    }
    return current;
  }

  @Override
  public void afterFinish(RequestContext request, UploadInfo info) {
    each(p -> p.afterFinish(request, info));
  }

  @Override
  public void beforeTerminate(RequestContext request, UploadInfo info) throws IOException {
    for (UploadPolicy p : policies) {
      p.beforeTerminate(request, info);
    }
  }

  @Override
  public void afterTerminate(RequestContext request, UploadInfo info) {
    each(p -> p.afterTerminate(request, info));
  }

  @Override
  public void afterExpire(UploadInfo info) {
    each(p -> p.afterExpire(info));
  }

  @Override
  public void afterExpiryChange(RequestContext request, UploadInfo info) {
    each(p -> p.afterExpiryChange(request, info));
  }

  private void each(java.util.function.Consumer<UploadPolicy> call) {
    for (UploadPolicy p : policies) {
      try {
        call.accept(p);
      } catch (RuntimeException e) {
        LOG.warn("event=policy_failed policy={} error={}", p.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
