/** The broker's Kafka API: the request handlers of the data path and of transaction markers. */
package io.sluice.broker.api;
