/**
 * Compute drivers: how the agent finds the VNF that owns a port and plugs a device into it.
 * {@link io.shunt.agent.driver.ComputeDriver} is the seam (written so that the libvirt driver
 * of issue 9 fits it without touching the REST API); {@link io.shunt.agent.driver.ProcessDriver}
 * serves VNFs that run as host processes, through the process device directory.
 */
package io.shunt.agent.driver;
