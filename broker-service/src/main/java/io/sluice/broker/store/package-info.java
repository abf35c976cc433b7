/** The replicated partition store on Infinispan: the only package of the broker that sees Infinispan types. */
package io.sluice.broker.store;
