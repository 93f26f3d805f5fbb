package io.shunt.ctl.openflow;

import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadActionErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadInstructionErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadMatchErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadRequestErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFExperimenterErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFFlowModFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFGroupModFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFHelloFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFMeterModFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFPortModFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFQueueOpFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFRoleRequestFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFSwitchConfigFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFTableFeaturesFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFTableModFailedErrorMsg;

/**
 * An OFPT_ERROR as one line, with the constant names of the OpenFlow 1.3
 * specification (section 7.4.4) that ovs-ofctl also prints:
 * {@code OFPBAC_BAD_OUT_PORT (type BAD_ACTION, code BAD_OUT_PORT)}.
 */
public final class OpenFlowErrorText {

    private OpenFlowErrorText() {
    }

    public static String describe(OFErrorMsg error) {
        String prefix;
        Enum<?> code;
        switch (error) {
            case OFHelloFailedErrorMsg e -> { prefix = "OFPHFC_"; code = e.getCode(); }
            case OFBadRequestErrorMsg e -> { prefix = "OFPBRC_"; code = e.getCode(); }
            case OFBadActionErrorMsg e -> { prefix = "OFPBAC_"; code = e.getCode(); }
            case OFBadInstructionErrorMsg e -> { prefix = "OFPBIC_"; code = e.getCode(); }
            case OFBadMatchErrorMsg e -> { prefix = "OFPBMC_"; code = e.getCode(); }
            case OFFlowModFailedErrorMsg e -> { prefix = "OFPFMFC_"; code = e.getCode(); }
            case OFGroupModFailedErrorMsg e -> { prefix = "OFPGMFC_"; code = e.getCode(); }
            case OFPortModFailedErrorMsg e -> { prefix = "OFPPMFC_"; code = e.getCode(); }
            case OFTableModFailedErrorMsg e -> { prefix = "OFPTMFC_"; code = e.getCode(); }
            case OFQueueOpFailedErrorMsg e -> { prefix = "OFPQOFC_"; code = e.getCode(); }
            case OFSwitchConfigFailedErrorMsg e -> { prefix = "OFPSCFC_"; code = e.getCode(); }
            case OFRoleRequestFailedErrorMsg e -> { prefix = "OFPRRFC_"; code = e.getCode(); }
            case OFMeterModFailedErrorMsg e -> { prefix = "OFPMMFC_"; code = e.getCode(); }
            case OFTableFeaturesFailedErrorMsg e -> { prefix = "OFPTFFC_"; code = e.getCode(); }
            case OFExperimenterErrorMsg e -> {
                return "experimenter error (experimenter 0x" + Long.toHexString(e.getExperimenter()) + ", subtype "
                        + e.getSubtype() + ")";
            }
            default -> {
                return "error type " + error.getErrType();
            }
        }
        return prefix + code.name() + " (type " + error.getErrType() + ", code " + code.name() + ")";
    }
}
