package dev.promptlab.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test when a logger under the given name logged a warning or an error while it ran: for code that
 * reports a problem only in its log (a background pass that could not finish, for example). Register with
 * {@code @RegisterExtension final LoggedWarnings warnings = LoggedWarnings.under("dev.promptlab.evolution");}.
 * It only listens; the log itself is unchanged.
 */
public final class LoggedWarnings implements BeforeEachCallback, AfterEachCallback {

  private final String loggerName;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
        seen.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage());
      }
    }
  };

  private LoggedWarnings(String loggerName) {
    this.loggerName = loggerName;
  }

  /** Watches {@code loggerName} and every logger below it. */
  public static LoggedWarnings under(String loggerName) {
    return new LoggedWarnings(loggerName);
  }

  /** What was logged at WARN or above since the test began. */
  public List<String> seen() {
    return List.copyOf(seen);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    seen.clear();
    Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.setName("logged-warnings-" + loggerName);
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ((Logger) LoggerFactory.getLogger(loggerName)).detachAppender(appender);
    appender.stop();
    if (!seen.isEmpty()) {
      throw new AssertionError(seen.size() + " warning(s) logged under " + loggerName + " during the test; the first: "
        + seen.get(0));
    }
  }
}
