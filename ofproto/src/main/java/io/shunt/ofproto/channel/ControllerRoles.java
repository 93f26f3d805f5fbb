package io.shunt.ofproto.channel;

import io.shunt.ofproto.OfErrorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFControllerRoleReason;
import org.projectfloodlight.openflow.protocol.OFRoleRequestFailedCode;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The role state that belongs to the whole switch, not to one connection
 * (OF1.3 section 6.3.5): the established connections of one bridge, which
 * of them is master, and the last generation id a master or slave request
 * carried. Used only on the control thread, so it needs no locks.
 */
public final class ControllerRoles {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerRoles.class);

    private final String bridge;
    private final Set<OfConnection> established = new LinkedHashSet<>();
    private boolean generationIdDefined;
    private long generationId;

    public ControllerRoles(String bridge) {
        this.bridge = bridge;
    }

    void add(OfConnection c) {
        established.add(c);
    }

    void remove(OfConnection c) {
        established.remove(c);
    }

    List<OfConnection> established() {
        return new ArrayList<>(established);
    }

    /** The generation id to report in ROLE_REPLY: the cached one, or all ones when none was set yet. */
    U64 generationId() {
        return generationIdDefined ? U64.of(generationId) : U64.NO_MASK;
    }

    /**
     * Applies a role request from {@code requester} and returns its role
     * afterwards. MASTER and SLAVE requests carry a generation id that must
     * not be older than the last one seen (compared as a signed 64-bit
     * distance, so that the counter may wrap); a MASTER request turns the
     * previous master into a slave and tells it with ROLE_STATUS (1.4+).
     */
    OFControllerRole request(OfConnection requester, OFControllerRole role, U64 requestGenerationId)
            throws OfErrorException {
        if (role == OFControllerRole.ROLE_NOCHANGE) {
            return requester.role();
        }
        if (requestGenerationId != null
                && (role == OFControllerRole.ROLE_MASTER || role == OFControllerRole.ROLE_SLAVE)) {
            long requested = requestGenerationId.getValue();
            if (generationIdDefined && requested - generationId < 0) {
                throw OfErrorException.roleRequestFailed(OFRoleRequestFailedCode.STALE,
                        "stale generation id " + Long.toUnsignedString(requested) + " on bridge " + bridge
                                + " (current " + Long.toUnsignedString(generationId) + ") from " + requester.peer());
            }
            generationIdDefined = true;
            generationId = requested;
        }
        if (role == OFControllerRole.ROLE_MASTER) {
            for (OfConnection other : established) {
                if (other != requester && other.role() == OFControllerRole.ROLE_MASTER) {
                    other.changeRole(OFControllerRole.ROLE_SLAVE);
                    LOG.info("bridge {}: {} becomes master, {} demoted to slave", bridge, requester.peer(), other.peer());
                    notifyDemoted(other);
                }
            }
        }
        requester.changeRole(role);
        return role;
    }

    /** The OF1.0 Nicira role request, which has no generation id. */
    OFControllerRole requestWithoutGeneration(OfConnection requester, OFControllerRole role) throws OfErrorException {
        return request(requester, role, null);
    }

    private void notifyDemoted(OfConnection demoted) {
        if (demoted.factory().getVersion().getWireVersion() < OFVersion.OF_14.getWireVersion()) {
            return;
        }
        int reason = 0; // OFPCRR_MASTER_REQUEST
        if (demoted.wantsAsync(OFType.ROLE_STATUS, reason)) {
            demoted.send(demoted.factory().buildRoleStatus()
                    .setRole(OFControllerRole.ROLE_SLAVE)
                    .setReason(OFControllerRoleReason.MASTER_REQUEST)
                    .setGenerationId(generationId())
                    .build());
        }
    }
}
