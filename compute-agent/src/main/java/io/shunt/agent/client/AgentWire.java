package io.shunt.agent.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON bodies of the compute agent's REST API (docs/compute-agent.md), as records; field
 * names are the JSON names.
 */
public final class AgentWire {
    private AgentWire() {
    }

    /** A port and the VNF that owns it ({@code GET /v1/ports}); {@code pid} is absent for VMs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Port(String port, String vnf, String driver, Long pid) {
    }

    /** {@code GET /v1/ports}. */
    public record Ports(List<Port> ports) {
    }

    /** A device plugged into the VNF that owns {@code port} ({@code GET /v1/devices}). */
    public record Device(String port, String vnf, String device, String region, String driver) {
    }

    /** {@code GET /v1/devices}. */
    public record Devices(List<Device> devices) {
    }

    /** Body of {@code PUT /v1/ports/{port}/devices/{device}}: the absolute path of the link region file. */
    public record PlugRequest(String region) {
    }

    /** Answer to a plug (the same for a first plug and a repeated one). */
    public record Plugged(String port, String vnf, String device, String driver) {
    }

    /** Answer to {@code DELETE /v1/ports/{port}/devices/{device}}. */
    public record Unplugged(String port, String device, boolean unplugged) {
    }

    /** {@code GET /v1/health}. */
    public record Health(String status, List<String> drivers) {
    }

    /** Every error: one clear sentence. */
    public record Error(String error) {
    }
}
