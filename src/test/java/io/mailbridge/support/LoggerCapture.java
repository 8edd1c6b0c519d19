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

/** The log lines of one logger (and its children) while a test runs, as a person would read them. */
public final class LoggerCapture extends AbstractAppender implements AutoCloseable {

    /** One captured line: level and formatted message, plus the exception when one was logged. */
    public record Line(Level level, String message, Throwable thrown) {
        @Override
        public String toString() {
            return level + " " + message;
        }
    }

    private final String loggerName;
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LoggerCapture(String loggerName, Level level) {
        super("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY);
        this.loggerName = loggerName;
        start();
        Configuration config = context.getConfiguration();
        LoggerConfig logger = new LoggerConfig(loggerName, level, true); // additive: the console still gets the lines
        logger.addAppender(this, null, null);
        config.addLogger(loggerName, logger);
        context.updateLoggers();
    }

    public static LoggerCapture of(String loggerName, Level level) {
        return new LoggerCapture(loggerName, level);
    }

    @Override
    public void append(LogEvent event) {
        lines.add(new Line(event.getLevel(), event.getMessage().getFormattedMessage(), event.getThrown()));
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public List<Line> containing(String text) {
        return lines.stream().filter(l -> l.message().contains(text)).toList();
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(loggerName);
        context.updateLoggers();
        stop();
    }
}
