package io.shunt.ofproto.channel;

import io.netty.buffer.ByteBuf;
import io.shunt.ofproto.OfErrorException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFBadActionCode;
import org.projectfloodlight.openflow.protocol.OFBadInstructionCode;
import org.projectfloodlight.openflow.protocol.OFBadMatchCode;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFFlowModFailedCode;
import org.projectfloodlight.openflow.protocol.OFGroupModFailedCode;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterModFailedCode;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Decodes one framed message with Loxi and turns a failure into the
 * OFPT_ERROR the specification asks for (OF1.3 section 7.4.4).
 *
 * <p>Loxi reports an unknown discriminator as "Unknown value for
 * discriminator FIELD of class CLASS: VALUE"; the class and field say which
 * part of the request is wrong, which picks the error type: an unknown
 * message type is OFPBRC_BAD_TYPE, an unknown multipart type
 * OFPBRC_BAD_MULTIPART, an unknown action OFPBAC_BAD_TYPE, and so on. A body
 * shorter or longer than its own structure says is OFPBRC_BAD_LEN.
 */
final class LoxiDecoding {

    private static final Pattern UNKNOWN_DISCRIMINATOR =
            Pattern.compile("Unknown value for discriminator (\\w+) of class (\\w+?)Ver\\d+");

    private LoxiDecoding() {}

    /**
     * Decodes a frame of exactly one message in {@code version}; the frame's reader index is left
     * where it was. No copy of the frame is made: Loxi reads the pooled slice the framer cut.
     */
    static OFMessage decode(OFVersion version, ByteBuf frame) throws OfErrorException {
        int start = frame.readerIndex();
        OFMessage message;
        try {
            message = OfVersions.factory(version).getReader().readFrom(frame);
        } catch (OFParseError e) {
            throw classify(e.getMessage());
        } catch (RuntimeException e) {
            // Loxi throws IllegalArgumentException/IndexOutOfBounds on some malformed values.
            throw OfErrorException.badRequest(OFBadRequestCode.BAD_LEN, "undecodable body: " + e);
        } finally {
            // Leave the frame as it was: its bytes become the data of an error, if one follows.
            frame.readerIndex(start);
        }
        if (message == null) {
            throw OfErrorException.badRequest(OFBadRequestCode.BAD_LEN,
                    "body shorter than its structure (header length " + frame.readableBytes() + ")");
        }
        return message;
    }

    static OfErrorException classify(String loxiMessage) {
        String detail = "undecodable request: " + loxiMessage;
        Matcher m = UNKNOWN_DISCRIMINATOR.matcher(loxiMessage == null ? "" : loxiMessage);
        if (!m.find()) {
            return OfErrorException.badRequest(OFBadRequestCode.BAD_LEN, detail);
        }
        String field = m.group(1);
        String structure = m.group(2);
        if (structure.equals("OFMessage")) {
            return OfErrorException.badRequest(OFBadRequestCode.BAD_TYPE, detail);
        }
        if (structure.startsWith("OFStatsRequest") || structure.endsWith("StatsRequest")) {
            // BAD_STAT is Loxi's name for OFPBRC_BAD_STAT (1.0) / OFPBRC_BAD_MULTIPART (1.3+).
            return field.equals("experimenter") || field.equals("subtype")
                    ? OfErrorException.badRequest(OFBadRequestCode.BAD_EXPERIMENTER, detail)
                    : OfErrorException.badRequest(OFBadRequestCode.BAD_STAT, detail);
        }
        if (structure.startsWith("OFAction")) {
            return field.equals("experimenter") || field.equals("subtype")
                    ? OfErrorException.badAction(OFBadActionCode.BAD_EXPERIMENTER, detail)
                    : OfErrorException.badAction(OFBadActionCode.BAD_TYPE, detail);
        }
        if (structure.startsWith("OFInstruction")) {
            return OfErrorException.badInstruction(OFBadInstructionCode.UNKNOWN_INST, detail);
        }
        if (structure.startsWith("OFOxm") || structure.startsWith("OFOxs")) {
            return OfErrorException.badMatch(OFBadMatchCode.BAD_FIELD, detail);
        }
        if (structure.startsWith("OFMatch")) {
            return OfErrorException.badMatch(OFBadMatchCode.BAD_TYPE, detail);
        }
        if (structure.startsWith("OFFlowMod") || structure.startsWith("OFFlow")) {
            return OfErrorException.flowModFailed(OFFlowModFailedCode.BAD_COMMAND, detail);
        }
        if (structure.startsWith("OFGroup")) {
            return field.equals("command")
                    ? OfErrorException.groupModFailed(OFGroupModFailedCode.BAD_COMMAND, detail)
                    : OfErrorException.groupModFailed(OFGroupModFailedCode.BAD_TYPE, detail);
        }
        if (structure.startsWith("OFMeterBand")) {
            return OfErrorException.meterModFailed(OFMeterModFailedCode.BAD_BAND, detail);
        }
        if (structure.startsWith("OFMeter")) {
            return OfErrorException.meterModFailed(OFMeterModFailedCode.BAD_COMMAND, detail);
        }
        if (field.equals("experimenter")) {
            return OfErrorException.badRequest(OFBadRequestCode.BAD_EXPERIMENTER, detail);
        }
        if (field.equals("subtype")) {
            // Sent as OFPBRC_BAD_SUBTYPE to OF1.0 peers (OfErrorException's version fallback).
            return OfErrorException.badRequest(OFBadRequestCode.BAD_EXPERIMENTER_TYPE, detail);
        }
        return OfErrorException.badRequest(OFBadRequestCode.BAD_TYPE, detail);
    }
}
