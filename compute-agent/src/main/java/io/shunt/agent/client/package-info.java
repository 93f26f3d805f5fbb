/**
 * The client of the compute agent's REST API (docs/compute-agent.md), for vswitchd's link
 * manager: {@link io.shunt.agent.client.AgentClient}, the wire records it sends and receives
 * (the agent's server uses the same records, so the two cannot drift apart), and
 * {@link io.shunt.agent.client.AgentException}, one subclass per kind of answer. Depends on
 * the JDK's {@code java.net.http} and Jackson only.
 */
package io.shunt.agent.client;
