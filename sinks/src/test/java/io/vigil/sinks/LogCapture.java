package io.vigil.sinks;

import java.io.StringWriter;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Captures everything logged under {@code io.vigil} and {@code org.apache.kafka} while open. */
public final class LogCapture implements AutoCloseable {

  private final StringWriter out = new StringWriter();
  private final WriterAppender appender;
  private final LoggerContext context;

  public LogCapture() {
    context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender =
        WriterAppender.newBuilder()
            .setName("capture-" + UUID.randomUUID())
            .setTarget(out)
            .setLayout(
                PatternLayout.newBuilder().withPattern("%level %logger %msg %throwable%n").build())
            .build();
    appender.start();
    config.addAppender(appender);
    for (String name : new String[] {"io.vigil", "org.apache.kafka"}) {
      LoggerConfig logger = config.getLoggerConfig(name);
      logger.addAppender(appender, Level.ALL, null);
    }
    context.updateLoggers();
  }

  public String text() {
    synchronized (out) {
      return out.toString();
    }
  }

  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    for (String name : new String[] {"io.vigil", "org.apache.kafka"}) {
      config.getLoggerConfig(name).removeAppender(appender.getName());
    }
    appender.stop();
    context.updateLoggers();
  }
}
