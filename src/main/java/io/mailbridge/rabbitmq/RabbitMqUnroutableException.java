package io.mailbridge.rabbitmq;

/**
 * The broker returned the message ({@code basic.return}): no queue is bound for its routing key, so
 * sending the same record again cannot help. The sink's failure rules name this class as a permanent
 * refusal (the record is dead-lettered with this reason instead of being retried).
 */
public class RabbitMqUnroutableException extends Exception {

    public RabbitMqUnroutableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
