package io.mailbridge.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** The lines one logger writes while a test runs (in-process mailbridge), as an operator would read them. */
public final class LogCapture implements AutoCloseable {

    /** One log line: level, message, and whether a stack trace came with it. */
    public record Line(Level level, String message, boolean hasStackTrace) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final String loggerName;
    private final AbstractAppender appender;

    private LogCapture(String loggerName) {
        this.loggerName = loggerName;
        this.appender = new AbstractAppender("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(new Line(event.getLevel(), event.getMessage().getFormattedMessage(), event.getThrown() != null));
            }
        };
        appender.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        LoggerConfig logger = new LoggerConfig(loggerName, Level.INFO, true);
        logger.addAppender(appender, Level.INFO, null);
        config.addLogger(loggerName, logger);
        ctx.updateLoggers();
    }

    public static LogCapture of(Class<?> type) {
        return new LogCapture(type.getName());
    }

    /** Every logger under a package or logger name, e.g. {@code io.mailbridge.imap}. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public List<Line> at(Level level) {
        return lines.stream().filter(l -> l.level() == level).toList();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().removeLogger(loggerName);
        ctx.updateLoggers();
        appender.stop();
    }
}
