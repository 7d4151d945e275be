package dev.promptlab.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test when Vert.x reported a blocked event-loop or worker thread while it ran. Register
 * with {@code @ExtendWith(BlockedThreadGuard.class)} next to the VertxExtension. Before the first test
 * class of a JVM it runs {@link JvmWarmUp}, so one-time start-up costs are not counted as blocking.
 */
public final class BlockedThreadGuard implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();
  private static volatile boolean installed;

  private static synchronized void install() {
    if (installed) {
      return;
    }
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message != null && message.contains("has been blocked for")) {
          WARNINGS.add(event.getLoggerName() + ": " + message);
        }
      }
    };
    appender.setName("blocked-thread-guard");
    appender.setContext(root.getLoggerContext());
    appender.start();
    root.addAppender(appender);
    installed = true;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    JvmWarmUp.once();
    install();
    WARNINGS.clear();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    install();
    WARNINGS.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!WARNINGS.isEmpty()) {
      String first = WARNINGS.get(0);
      WARNINGS.clear();
      throw new AssertionError("Vert.x reported a blocked thread during the test: " + first);
    }
  }
}
