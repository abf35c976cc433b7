package io.sluice.protocol.contract;

import java.util.Locale;

/**
 * A setting of a Sluice service: its property name in {@code application.properties} and the environment variable
 * that overrides it (MicroProfile Config's mapping: {@code sluice.broker.id} ⇔ {@code SLUICE_BROKER_ID}).
 */
public record Setting(String property) {

    /** The environment variable that sets this setting. */
    public String env() {
        return env(property);
    }

    /** The environment variable of any property name; a name given as a variable stays as it is. */
    public static String env(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
