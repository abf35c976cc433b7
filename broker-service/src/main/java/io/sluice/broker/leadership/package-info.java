/** The partitions this broker leads, and its link to the coordinator that says which they are. */
package io.sluice.broker.leadership;
