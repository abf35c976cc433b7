package io.sluice.coordinator.security;

/**
 * How many ACLs the cluster keeps at most, and how many one DeleteAcls may remove: a bound on what clients make the
 * coordinator store, and send to every gateway, and on the size of one change to the state store.
 */
public record AclLimits(int maxAcls, int maxDeletions) {
}
