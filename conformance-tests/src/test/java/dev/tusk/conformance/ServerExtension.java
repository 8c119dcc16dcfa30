package dev.tusk.conformance;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit lifecycle of a fixture that starts a real server: registered on a static field it
 * serves the whole class (opened before all, closed after all); on an instance field, for which
 * JUnit calls no before-all, it opens one server per test and closes it after.
 */
public abstract class ServerExtension
    implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private boolean perTest;

  /** Starts the server. */
  protected abstract void open() throws Exception;

  /** Whether the server is started. */
  protected abstract boolean isOpen();

  @Override
  public abstract void close() throws IOException;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    open();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!isOpen()) {
      perTest = true;
      open();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (perTest) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }
}
