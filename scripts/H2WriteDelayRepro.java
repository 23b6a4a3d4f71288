import java.math.BigDecimal;
import java.nio.file.*;
import java.sql.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/**
 * A reproduction, in plain JDBC against H2 alone, of the lost balance updates that made the storage
 * refuse H2's {@code WRITE_DELAY=0} (see the README, "Durability", and BENCHMARKS.md).
 *
 * <p>Eight threads each run 40 rounds of "credit 7.00, then try to debit 20.00" on one account row, every
 * change in its own transaction at READ COMMITTED, shaped like the engine's unit of work: read a key row
 * (a miss), read the account row, the conditional {@code UPDATE accounts SET balance = balance + ? WHERE
 * ... AND balance + ? >= 0}, read the balance back, insert a transaction row (identity key) and two
 * posting rows, {@code SUM} an index range, insert the key row, commit. Afterwards the balance column
 * must equal the sum of the account's postings; a run where it does not lost an update.
 *
 * <pre>
 * H2=~/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar
 * java -cp $H2 scripts/H2WriteDelayRepro.java ";WRITE_DELAY=0" 150            # stores at every commit
 * java -cp $H2 scripts/H2WriteDelayRepro.java ";WRITE_DELAY=2147483647" 150   # control: no store at all
 * java -cp $H2 scripts/H2WriteDelayRepro.java ";WRITE_DELAY=0" 150 false true # without the read of the account
 * </pre>
 *
 * <p>Arguments: URL settings, runs, [read the account first: true], [the SUM: true].
 */
public class H2WriteDelayRepro {
  public static void main(String[] a) throws Exception {
    String settings = a[0];
    int runs = Integer.parseInt(a[1]);
    boolean readFirst = a.length < 3 || Boolean.parseBoolean(a[2]);
    boolean sum = a.length < 4 || Boolean.parseBoolean(a[3]);
    int bad = 0;
    for (int run = 0; run < runs; run++) {
      Path dir = Files.createTempDirectory("repro");
      String url = "jdbc:h2:file:" + dir.resolve("db") + ";LOCK_TIMEOUT=10000;OPTIMIZE_REUSE_RESULTS=0;DB_CLOSE_ON_EXIT=FALSE" + settings;
      try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE accounts (namespace VARCHAR(64) PRIMARY KEY, status VARCHAR(16) NOT NULL, balance DECIMAL(19,4) NOT NULL)");
        s.execute("CREATE TABLE transactions (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id VARCHAR(64) NOT NULL UNIQUE, namespace VARCHAR(64) NOT NULL, amount DECIMAL(19,4) NOT NULL, balance_after DECIMAL(19,4) NOT NULL)");
        s.execute("CREATE TABLE postings (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, transaction_seq BIGINT NOT NULL, ledger_account VARCHAR(128) NOT NULL, amount DECIMAL(19,4) NOT NULL)");
        s.execute("CREATE INDEX postings_ledger_account_ix ON postings (ledger_account)");
        s.execute("CREATE TABLE keys (namespace VARCHAR(64) NOT NULL, idem_key VARCHAR(128) NOT NULL, balance DECIMAL(19,4), PRIMARY KEY (namespace, idem_key))");
        s.execute("INSERT INTO accounts VALUES ('shared', 'active', 0.01)");
        s.execute("INSERT INTO transactions (id, namespace, amount, balance_after) VALUES ('open', 'shared', 0.01, 0.01)");
        s.execute("INSERT INTO postings (transaction_seq, ledger_account, amount) VALUES (1, 'wallet:shared', 0.01), (1, 'funding', -0.01)");
        ExecutorService ex = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int me = t;
          fs.add(ex.submit(() -> {
            try (Connection k = DriverManager.getConnection(url, "sa", "")) {
              k.setAutoCommit(false);
              k.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
              go.await();
              for (int i = 0; i < 40; i++) {
                change(k, me + "-r-" + i, new BigDecimal("7.00"), readFirst, sum);
                change(k, me + "-c-" + i, new BigDecimal("-20.00"), readFirst, sum);
              }
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : fs) f.get();
        ex.shutdown();
        try (ResultSet rs = s.executeQuery("SELECT (SELECT balance FROM accounts), (SELECT SUM(amount) FROM postings WHERE ledger_account = 'wallet:shared'), (SELECT COUNT(*) FROM transactions)")) {
          rs.next();
          boolean ok = rs.getBigDecimal(1).compareTo(rs.getBigDecimal(2)) == 0;
          if (!ok) bad++;
          System.out.println("run " + run + ": balance " + rs.getBigDecimal(1) + ", postings " + rs.getBigDecimal(2) + ", " + rs.getLong(3) + " transactions" + (ok ? "" : "  LOST UPDATE"));
        }
      }
    }
    System.out.println("settings " + settings + " readFirst " + readFirst + " sum " + sum + ": runs with a lost update: " + bad + " of " + runs);
  }

  static void change(Connection k, String key, BigDecimal delta, boolean readFirst, boolean sum) throws SQLException {
    for (int attempt = 0; ; attempt++) {
      try {
        try (PreparedStatement p = k.prepareStatement("SELECT balance FROM keys WHERE namespace = 'shared' AND idem_key = ?")) {
          p.setString(1, key);
          try (ResultSet rs = p.executeQuery()) { if (rs.next()) throw new IllegalStateException("key seen"); }
        }
        if (readFirst) {
          try (PreparedStatement p = k.prepareStatement("SELECT status, balance FROM accounts WHERE namespace = 'shared'");
               ResultSet rs = p.executeQuery()) { rs.next(); }
        }
        BigDecimal after;
        try (PreparedStatement p = k.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE namespace = 'shared' AND balance + ? >= 0")) {
          p.setBigDecimal(1, delta); p.setBigDecimal(2, delta);
          if (p.executeUpdate() == 0) { k.rollback(); return; } // not covered: nothing changes
        }
        try (PreparedStatement p = k.prepareStatement("SELECT balance FROM accounts WHERE namespace = 'shared'"); ResultSet rs = p.executeQuery()) {
          rs.next(); after = rs.getBigDecimal(1);
        }
        long seq;
        try (PreparedStatement p = k.prepareStatement("INSERT INTO transactions (id, namespace, amount, balance_after) VALUES (?, 'shared', ?, ?)", new String[] {"seq"})) {
          p.setString(1, key); p.setBigDecimal(2, delta); p.setBigDecimal(3, after); p.executeUpdate();
          try (ResultSet rs = p.getGeneratedKeys()) { rs.next(); seq = rs.getLong(1); }
        }
        try (PreparedStatement p = k.prepareStatement("INSERT INTO postings (transaction_seq, ledger_account, amount) VALUES (?, ?, ?)")) {
          p.setLong(1, seq); p.setString(2, "wallet:shared"); p.setBigDecimal(3, delta); p.addBatch();
          p.setLong(1, seq); p.setString(2, delta.signum() > 0 ? "funding" : "revenue"); p.setBigDecimal(3, delta.negate()); p.addBatch();
          p.executeBatch();
        }
        if (sum) {
          try (PreparedStatement p = k.prepareStatement("SELECT SUM(amount) FROM postings WHERE ledger_account = 'receivable:shared'"); ResultSet rs = p.executeQuery()) { rs.next(); }
        }
        try (PreparedStatement p = k.prepareStatement("INSERT INTO keys VALUES ('shared', ?, ?)")) {
          p.setString(1, key); p.setBigDecimal(2, after); p.executeUpdate();
        }
        k.commit();
        return;
      } catch (SQLException e) {
        k.rollback();
        if (attempt > 20) throw e;
      }
    }
  }
}
