package dev.billing.jdbc;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** An H2 URL split into its database part and its {@code ;KEY=VALUE} settings. */
record H2Url(String base, Map<String, String> settings) {

    static H2Url parse(String url) {
        String[] parts = url.split(";");
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed H2 URL setting '" + part + "' in " + url);
            }
            String key = part.substring(0, eq).strip().toUpperCase(Locale.ROOT);
            if (settings.put(key, part.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("H2 URL setting " + key + " given twice in " + url);
            }
        }
        return new H2Url(parts[0], settings);
    }

    /**
     * @return what names the database whatever the URL's spelling: an embedded file's absolute,
     *     normalised path ({@code jdbc:h2:./db}, {@code jdbc:h2:file:db}, {@code jdbc:h2:~/db} alike),
     *     else the URL's database part as written
     */
    String database() {
        String rest = base.substring("jdbc:h2:".length());
        if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:")
                || rest.startsWith("nio") || rest.startsWith("split:") || rest.startsWith("async:")) {
            return base;
        }
        String file = rest.startsWith("file:") ? rest.substring("file:".length()) : rest;
        if (file.equals("~") || file.startsWith("~/") || file.startsWith("~\\")) {
            file = System.getProperty("user.home") + file.substring(1);
        }
        return "file:" + Path.of(file).toAbsolutePath().normalize();
    }

    /** @return the URL with the storage's settings added, checked against {@code mode} */
    String withSettings(Durability mode) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.putIfAbsent("LOCK_TIMEOUT", Integer.toString(JdbiStorage.LOCK_TIMEOUT_MILLIS));
        if (!base.startsWith("jdbc:h2:mem:")) {
            // close() closes the database; H2's own JVM shutdown hook would close it under the host's
            // hooks, such as a server finishing the requests it is draining
            all.putIfAbsent("DB_CLOSE_ON_EXIT", "FALSE");
        }
        // H2 keeps the 8 last parsed statements per session by default, fewer than the statements the
        // engine's units of work run between them, so each was parsed again on every call
        all.putIfAbsent("QUERY_CACHE_SIZE", "64");
        String reuse = all.putIfAbsent("OPTIMIZE_REUSE_RESULTS", "0");
        if (reuse != null && !reuse.equals("0") && !reuse.equalsIgnoreCase("FALSE")) {
            throw new IllegalArgumentException("OPTIMIZE_REUSE_RESULTS=" + reuse
                    + " is refused: H2's result cache can return stale rows under concurrency");
        }
        String delay = all.get("WRITE_DELAY");
        if (delay != null && delay.equals("0")) {
            throw new IllegalArgumentException("WRITE_DELAY=0 is refused: with it, H2 2.3.232 has lost concurrent"
                    + " updates of one row; the durability modes store each commit by a grouped CHECKPOINT instead");
        }
        if (mode != Durability.H2_DEFAULT && !base.startsWith("jdbc:h2:mem:")) {
            if (delay != null && !delay.equals(JdbiStorage.NO_BACKGROUND_STORE)) {
                throw new IllegalArgumentException("WRITE_DELAY=" + delay + " conflicts with durability " + mode
                        + ", which stores each commit itself");
            }
            // H2 stores its MVStore in the background while transactions are open, which has lost updates
            // (see JdbiStorage); the storage stores it itself, between units of work
            all.put("WRITE_DELAY", JdbiStorage.NO_BACKGROUND_STORE);
        }
        StringBuilder sb = new StringBuilder(base);
        all.forEach((k, v) -> sb.append(';').append(k).append('=').append(v));
        return sb.toString();
    }
}
