package dev.promptlab.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every log line of the process while open (logger, level, thread, message with its arguments, MDC, stack
 * trace), with the named loggers turned up to DEBUG so the chattiest paths are included.
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Map<Logger, Level> previous = new LinkedHashMap<>();

  private CapturedLogs(List<String> debugLoggers) {
    for (String name : debugLoggers) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      previous.put(logger, logger.getLevel());
      logger.setLevel(Level.DEBUG);
    }
    setContext(root.getLoggerContext());
    setName("captured-logs");
    start();
    root.addAppender(this);
  }

  /** Captures everything, with {@code debugLoggers} (and their children) at DEBUG. */
  static CapturedLogs withDebug(String... debugLoggers) {
    return new CapturedLogs(List.of(debugLoggers));
  }

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder line = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
      .append(" [").append(event.getThreadName()).append("] ").append(event.getFormattedMessage());
    if (event.getArgumentArray() != null) {
      for (Object argument : event.getArgumentArray()) {
        line.append(" | ").append(argument);
      }
    }
    if (!event.getMDCPropertyMap().isEmpty()) {
      line.append(' ').append(event.getMDCPropertyMap());
    }
    if (event.getThrowableProxy() != null) {
      line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
    lines.add(line.toString());
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    root.detachAppender(this);
    previous.forEach(Logger::setLevel);
    stop();
  }
}
