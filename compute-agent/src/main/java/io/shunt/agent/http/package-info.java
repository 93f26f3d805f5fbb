/**
 * The agent's HTTP front (docs/compute-agent.md): the JDK's {@code com.sun.net.httpserver}
 * server, bearer-token check, routing, body limit and JSON; everything else is
 * {@link io.shunt.agent.PortDeviceService}'s.
 */
package io.shunt.agent.http;
