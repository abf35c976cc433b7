package io.sluice.coordinator;

import java.time.Duration;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The coordinator's settings read as Quarkus reads them (its durations such as {@code 6s}), from the sources given. */
public final class CoordinatorConfigs {

    private CoordinatorConfigs() {
    }

    public static CoordinatorConfig read(ConfigSource... sources) {
        return new SmallRyeConfigBuilder()
                .withMapping(CoordinatorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(sources)
                .build()
                .getConfigMapping(CoordinatorConfig.class);
    }
}
