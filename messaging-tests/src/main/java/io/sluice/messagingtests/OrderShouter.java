package io.sluice.messagingtests;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

/**
 * Reads each order from the {@code orders} channel and writes it again in capitals to {@code shouted-orders}. The
 * incoming record is acknowledged, and so becomes committable, once the outgoing one is written.
 */
@ApplicationScoped
public class OrderShouter {

    @Incoming("orders")
    @Outgoing("shouted-orders")
    public String shout(String order) {
        return order.toUpperCase(Locale.ROOT);
    }
}
