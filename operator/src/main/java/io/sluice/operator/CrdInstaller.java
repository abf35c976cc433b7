package io.sluice.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;

/**
 * Applies the operator's CRDs (the files of {@code deploy/crds}, packaged in the jar) at start when
 * {@code sluice.operator.apply-crds} is set: for an operator run out of cluster with an admin's kubeconfig. In
 * cluster the installer applies them and the operator has no rights on CRDs.
 */
@Singleton
public class CrdInstaller {

    private static final Logger LOG = Logger.getLogger(CrdInstaller.class);
    static final List<String> CRDS = List.of("clusters.sluice.io-v1.yml", "topics.sluice.io-v1.yml",
            "users.sluice.io-v1.yml");

    @Inject
    OperatorConfig config;

    @Inject
    KubernetesClient client;

    /** Before the operator starts its controllers, which watch these resources. */
    void apply(@Observes @Priority(1) StartupEvent event) {
        if (!config.applyCrds()) {
            return;
        }
        for (String name : CRDS) {
            try (InputStream yaml = CrdInstaller.class.getResourceAsStream("/crds/" + name)) {
                if (yaml == null) {
                    throw new IllegalStateException("CRD " + name + " is not packaged in the operator");
                }
                CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(yaml)
                        .item();
                client.resource(crd).forceConflicts().serverSideApply();
                LOG.infof("applied CRD %s", crd.getMetadata().getName());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
