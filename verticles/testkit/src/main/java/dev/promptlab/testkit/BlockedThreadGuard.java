package dev.promptlab.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test when Vert.x reported a blocked event-loop or worker thread while it ran. Register
 * with {@code @ExtendWith(BlockedThreadGuard.class)} next to the VertxExtension. Before the first test
 * class of a JVM it runs {@link JvmWarmUp}, so one-time start-up costs are not counted as blocking.
 *
 * <p>Vert.x measures a task in wall time. An event loop reported blocked while it was runnable in Java code but
 * barely on the CPU (see {@link ThreadCpuHistory}) was kept waiting by a machine busier than its cores or by a
 * garbage collection, not by the code: that warning is printed with the figures and not counted. A loop that
 * computed, waited or sat in a system call all along fails the test.
 */
public final class BlockedThreadGuard implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();
  private static final Pattern BLOCKED = Pattern.compile("Thread (\\S+) has been blocked for (\\d+) ms");
  private static volatile boolean installed;
  private static ThreadCpuHistory cpu;

  private static synchronized void install() {
    if (installed) {
      return;
    }
    cpu = new ThreadCpuHistory();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message != null && message.contains("has been blocked for")) {
          if (keptOffTheCpu(message)) {
            System.err.println("[blocked-thread-guard] not counted, the thread was runnable but kept off the CPU: "
              + message);
          } else {
            WARNINGS.add(event.getLoggerName() + ": " + message);
          }
        }
      }
    };
    appender.setName("blocked-thread-guard");
    appender.setContext(root.getLoggerContext());
    appender.start();
    root.addAppender(appender);
    installed = true;
  }

  private static boolean keptOffTheCpu(String message) {
    Matcher blocked = BLOCKED.matcher(message);
    return blocked.find() && blocked.group(1).startsWith("vert.x-eventloop-thread-")
      && cpu.starved(blocked.group(1), Long.parseLong(blocked.group(2)));
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
