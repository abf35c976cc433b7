/** The log of each partition this broker leads: appends, reads, recovery at takeover, retention. */
package io.sluice.broker.log;
