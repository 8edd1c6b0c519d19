package io.mailbridge.outbound;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/** The sent ledger in PostgreSQL (table mailbridge_sent), seen by every replica. */
public class JdbcSentLedger implements SentLedger {

    private final DataSource dataSource;

    public JdbcSentLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean contains(String messageId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM mailbridge_sent WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public String sentRecord(String messageId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT sent_record FROM mailbridge_sent WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public void record(String messageId, String sentRecordJson) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mailbridge_sent (message_id, sent_record) VALUES (?, ?) ON CONFLICT (message_id) DO NOTHING")) {
            ps.setString(1, messageId);
            ps.setString(2, sentRecordJson);
            ps.executeUpdate();
        }
    }
}
