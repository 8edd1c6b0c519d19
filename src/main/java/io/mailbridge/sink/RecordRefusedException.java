package io.mailbridge.sink;

/**
 * The sink refused this one record for good (too large, unroutable...), while it is otherwise
 * working. A sink's producer throws it so the record is dead-lettered with the broker's reason
 * instead of being retried forever; see {@link SinkFailures#PERMANENT_REFUSALS}.
 */
public class RecordRefusedException extends Exception {

    public RecordRefusedException(String brokerReason) {
        super(brokerReason);
    }

    public RecordRefusedException(String brokerReason, Throwable cause) {
        super(brokerReason, cause);
    }
}
