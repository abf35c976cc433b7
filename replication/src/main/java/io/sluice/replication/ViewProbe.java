package io.sluice.replication;

import java.util.function.Function;

import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Transport;

/** Answers the id of the view the node it runs on is in: a node asks the others whether they still see its view. */
final class ViewProbe implements Function<EmbeddedCacheManager, Long> {

    static final ViewProbe INSTANCE = new ViewProbe();

    private ViewProbe() {
    }

    @Override
    public Long apply(EmbeddedCacheManager manager) {
        return viewId(manager);
    }

    static long viewId(EmbeddedCacheManager manager) {
        return GlobalComponentRegistry.componentOf(manager, Transport.class).getViewId();
    }
}
