package dev.parley.server.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Prepared statements of one connection, prepared once and reused: SQLite's prepare costs more than running
 * these small statements, and the writer runs them for every message. Owned by the thread that owns the connection.
 */
final class Statements {
    private final Connection connection;
    private final Map<String, PreparedStatement> bySql = new HashMap<>();

    Statements(Connection connection) {
        this.connection = connection;
    }

    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement st = bySql.get(sql);
        if (st == null) {
            st = connection.prepareStatement(sql);
            bySql.put(sql, st);
        }
        return st;
    }
}
