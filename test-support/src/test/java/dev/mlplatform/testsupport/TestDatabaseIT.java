package dev.mlplatform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class TestDatabaseIT {

    @Test
    void connectsToTheTestDatabaseThroughOneSharedPool() throws SQLException {
        DataSource dataSource = TestDatabase.dataSource();

        assertThat(TestDatabase.dataSource()).isSameAs(dataSource);
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(TestDatabase.NAME);
        }
    }
}
