package dev.mlplatform.fraud.rules;

import dev.mlplatform.fraud.decision.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The rows of {@code fraud.rules}. */
public final class JdbcRuleRepository {

    private final DataSource dataSource;

    public JdbcRuleRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every rule row, enabled or not, in id order (the table's checks keep types and actions to known values). */
    public List<RuleDefinition> all() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT name, type, parameters::text, action, enabled, description FROM fraud.rules ORDER BY id");
             ResultSet rs = select.executeQuery()) {
            List<RuleDefinition> rules = new ArrayList<>();
            while (rs.next()) {
                rules.add(new RuleDefinition(rs.getString(1), RuleType.valueOf(rs.getString(2)), rs.getString(3),
                        Outcome.valueOf(rs.getString(4)), rs.getBoolean(5), rs.getString(6)));
            }
            return rules;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read fraud.rules: " + e.getMessage(), e);
        }
    }
}
