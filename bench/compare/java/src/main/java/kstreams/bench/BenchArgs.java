package kstreams.bench;

import java.util.HashMap;
import java.util.Map;

/** The bench's `name=value` arguments, so that the Node side names every setting it passes. */
final class BenchArgs {
    private final Map<String, String> values = new HashMap<>();

    private BenchArgs() {}

    static BenchArgs parse(String[] args) {
        BenchArgs parsed = new BenchArgs();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals <= 0) throw new IllegalArgumentException("expected name=value, got '" + arg + "'");
            parsed.values.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        return parsed;
    }

    String text(String name) {
        String value = values.get(name);
        if (value == null) throw new IllegalArgumentException("missing argument " + name + "=…");
        return value;
    }

    long number(String name) {
        String value = text(name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }
}
