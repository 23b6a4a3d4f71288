package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.checkMoney;
import static dev.billing.jdbc.JdbiSession.instant;
import static dev.billing.jdbc.JdbiSession.sorted;
import static dev.billing.jdbc.JdbiSession.timestamp;

import dev.billing.spi.CatalogStore;
import dev.billing.spi.PlanAndProfile;
import dev.billing.spi.PlanAndRegion;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.RegionRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/**
 * Regions and plans (tables {@code regions} and {@code plans}), in one unit of work ({@link JdbiSession}).
 * A put is an {@code UPDATE}, then an {@code INSERT} when no row had the id. Plan types are matched by
 * the lower-cased copy {@code plan_type_lc}. Not thread-safe.
 */
final class JdbiCatalogStore implements CatalogStore {

    static final String REGION_COLUMNS = "id, description, status";
    static final String PLAN_COLUMNS = """
            id, plan_type, plan_level, name, price, currency, bill_period, description, region, status, created_at,
            version_no""";

    private static final Comparator<PlanRecord> PLAN_ORDER =
            Comparator.comparing(PlanRecord::price).thenComparing(PlanRecord::id);

    private final JdbiSession session;
    private final Handle handle;

    JdbiCatalogStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    @Override
    public void putRegion(RegionRecord region) {
        session.write("putRegion", () -> {
            int n = handle.createUpdate("UPDATE regions SET description = :description, status = :status WHERE id = :id")
                    .bind("id", region.id())
                    .bind("description", region.description())
                    .bind("status", region.status())
                    .execute();
            if (n == 0) {
                handle.createUpdate("INSERT INTO regions (id, description, status) VALUES (:id, :description, :status)")
                        .bind("id", region.id())
                        .bind("description", region.description())
                        .bind("status", region.status())
                        .execute();
            }
            return null;
        });
    }

    @Override
    public Optional<RegionRecord> findRegion(String id) {
        return session.read("findRegion", () -> handle.createQuery(
                        "SELECT " + REGION_COLUMNS + " FROM regions WHERE id = :id")
                .bind("id", id)
                .map(JdbiCatalogStore::region)
                .findOne());
    }

    @Override
    public List<RegionRecord> listRegions() {
        return session.read("listRegions", () -> sorted(
                handle.createQuery("SELECT " + REGION_COLUMNS + " FROM regions ORDER BY id")
                        .map(JdbiCatalogStore::region).list(),
                Comparator.comparing(RegionRecord::id)));
    }

    @Override
    public void putPlan(PlanRecord plan) {
        session.refuse(() -> checkMoney("plan price", plan.price()));
        session.write("putPlan", () -> {
            int n = bindPlan(handle.createUpdate("""
                    UPDATE plans SET plan_type = :type, plan_type_lc = :typeLc, plan_level = :level, name = :name,
                        price = :price, currency = :currency, bill_period = :billPeriod, description = :description,
                        region = :region, status = :status, created_at = :createdAt, version_no = :version
                    WHERE id = :id"""), plan).execute();
            if (n == 0) {
                bindPlan(handle.createUpdate("""
                        INSERT INTO plans (id, plan_type, plan_type_lc, plan_level, name, price, currency, bill_period,
                            description, region, status, created_at, version_no)
                        VALUES (:id, :type, :typeLc, :level, :name, :price, :currency, :billPeriod,
                            :description, :region, :status, :createdAt, :version)"""), plan).execute();
            }
            return null;
        });
    }

    private static Update bindPlan(Update u, PlanRecord p) {
        return u.bind("id", p.id())
                .bind("type", p.type())
                .bind("typeLc", p.type().toLowerCase(Locale.ROOT))
                .bind("level", p.level())
                .bind("name", p.name())
                .bind("price", p.price())
                .bind("currency", p.currency())
                .bind("billPeriod", p.billPeriod())
                .bind("description", p.description())
                .bind("region", p.region())
                .bind("status", p.status())
                .bind("createdAt", timestamp(p.createdAt()))
                .bind("version", p.version());
    }

    @Override
    public void insertPlanVersion(PlanRecord plan) {
        session.refuse(() -> checkMoney("plan price", plan.price()));
        session.write("insertPlanVersion", () -> bindPlan(handle.createUpdate("""
                INSERT INTO plan_versions (id, version_no, plan_type, plan_level, name, price, currency, bill_period,
                    description, region, status, created_at)
                VALUES (:id, :version, :type, :level, :name, :price, :currency, :billPeriod, :description, :region,
                    :status, :createdAt)"""), plan).execute());
    }

    @Override
    public Optional<PlanRecord> findPlanVersion(String id, int version) {
        return session.read("findPlanVersion", () -> handle.createQuery("SELECT " + PLAN_COLUMNS
                        + " FROM plan_versions WHERE id = :id AND version_no = :version")
                .bind("id", id)
                .bind("version", version)
                .map(JdbiCatalogStore::plan)
                .findOne());
    }

    @Override
    public Optional<PlanRecord> findPlan(String id) {
        return session.read("findPlan", () -> handle.createQuery("SELECT " + PLAN_COLUMNS + " FROM plans WHERE id = :id")
                .bind("id", id)
                .map(JdbiCatalogStore::plan)
                .findOne());
    }

    /** One statement: the plan, joined to the region asked for (a missing plan leaves no row, then the region alone). */
    @Override
    public PlanAndRegion findPlanAndRegion(String planId, String regionId) {
        return find(planId, regionId, null).offer();
    }

    /**
     * One statement: the plan, joined to the region asked for and to the buyer's billing profile (a missing
     * plan leaves no row, then the region and the profile alone); {@link JdbiSession#findPlanAndProfile}.
     */
    PlanAndProfile findPlanAndProfile(String planId, String regionId, String namespace) {
        return find(planId, regionId, namespace);
    }

    /** @param namespace the buyer whose profile is read with the plan, or {@code null} for the plan and region alone */
    private PlanAndProfile find(String planId, String regionId, String namespace) {
        Dialect dialect = session.dialect();
        PlanAndProfile found = session.readSql(namespace == null ? "findPlanAndRegion" : "findPlanAndProfile", c -> {
            try (PreparedStatement p = c.prepareStatement(namespace == null ? PLAN_AND_REGION : PLAN_REGION_AND_PROFILE)) {
                int i = 1;
                p.setString(i++, regionId);
                if (namespace != null) {
                    p.setString(i++, namespace);
                }
                p.setString(i, planId);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    PlanRecord plan = new PlanRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getBigDecimal(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10), dialect.readInstant(rs, "created_at"), rs.getInt(15));
                    String region = rs.getString(12);
                    PlanAndRegion offer = new PlanAndRegion(plan, region == null ? null
                            : new RegionRecord(region, rs.getString(13), rs.getString(14)));
                    // the profile's columns by name: none of them is also a plan's or a region's
                    boolean profiled = namespace != null && rs.getString("namespace") != null;
                    return new PlanAndProfile(offer, profiled ? JdbiProfileStore.profile(rs, dialect) : null);
                }
            }
        });
        if (found != null) {
            return found;
        }
        PlanAndRegion regionAlone = new PlanAndRegion(null, findRegion(regionId).orElse(null));
        return new PlanAndProfile(regionAlone,
                namespace == null ? null : session.profiles().findBillingProfile(namespace).orElse(null));
    }

    private static final String PLAN_AND_REGION = """
            SELECT p.id, p.plan_type, p.plan_level, p.name, p.price, p.currency, p.bill_period, p.description, p.region,
                   p.status, p.created_at, r.id, r.description, r.status, p.version_no
            FROM plans p LEFT JOIN regions r ON r.id = ?
            WHERE p.id = ?""";

    private static final String PLAN_REGION_AND_PROFILE = """
            SELECT p.id, p.plan_type, p.plan_level, p.name, p.price, p.currency, p.bill_period, p.description, p.region,
                   p.status, p.created_at, r.id, r.description, r.status, p.version_no,
                   b.namespace, b.parent, b.kind, b.period_start, b.period_end, b.cycle_anchor, b.cycle_length,
                   b.cycle_zone, b.next_cycle_length, b.next_cycle_zone
            FROM plans p LEFT JOIN regions r ON r.id = ? LEFT JOIN billing_profiles b ON b.namespace = ?
            WHERE p.id = ?""";

    @Override
    public List<PlanRecord> listPlans(String region, String type, String status) {
        return session.read("listPlans", () -> {
            StringBuilder sql = new StringBuilder("SELECT " + PLAN_COLUMNS + " FROM plans WHERE region = :region");
            if (type != null) {
                sql.append(" AND plan_type_lc = :typeLc");
            }
            if (status != null) {
                sql.append(" AND status = :status");
            }
            sql.append(" ORDER BY price, id");
            Query q = handle.createQuery(sql.toString()).bind("region", region);
            if (type != null) {
                q.bind("typeLc", type.toLowerCase(Locale.ROOT));
            }
            if (status != null) {
                q.bind("status", status);
            }
            return sorted(q.map(JdbiCatalogStore::plan).list(), PLAN_ORDER);
        });
    }

    /** Maps a row of {@link #REGION_COLUMNS}. */
    static RegionRecord region(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RegionRecord(rs.getString("id"), rs.getString("description"), rs.getString("status"));
    }

    /** Maps a row of {@link #PLAN_COLUMNS}. */
    static PlanRecord plan(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PlanRecord(rs.getString("id"), rs.getString("plan_type"), rs.getString("plan_level"),
                rs.getString("name"), rs.getBigDecimal("price"), rs.getString("currency"), rs.getString("bill_period"),
                rs.getString("description"), rs.getString("region"), rs.getString("status"), instant(rs, ctx, "created_at"),
                rs.getInt("version_no"));
    }
}
