package io.shunt.ofproto.channel;

import io.shunt.ofproto.OfErrorException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The switch side of the channel tests, before the channel meets the real
 * OpenFlowSwitch (the end-to-end tests use that one): it records what the
 * channel passes through and on which thread, answers FEATURES_REQUEST, and
 * refuses FLOW_MODs for table 0xFE so that handler errors can be observed.
 */
final class RecordingHandler implements MessageHandler {

    final List<OFMessage> handled = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final LinkedBlockingQueue<ControllerConnection> connected = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<ControllerConnection> disconnected = new LinkedBlockingQueue<>();

    @Override
    public void handle(OFMessage request, ControllerConnection from) throws OfErrorException {
        handled.add(request);
        threads.add(Thread.currentThread().getName());
        if (request.getType() == OFType.FEATURES_REQUEST) {
            from.send(from.factory().buildFeaturesReply().setXid(request.getXid())
                    .setDatapathId(DatapathId.of(0x42)).setNBuffers(0).setNTables((short) 1).build());
        } else if (request instanceof OFFlowMod fm && fm.getTableId().getValue() == 0xFE) {
            throw OfErrorException.badRequest(OFBadRequestCode.BAD_TABLE_ID, "table 254 refused by the test switch");
        }
    }

    @Override
    public void connected(ControllerConnection connection) {
        connected.add(connection);
    }

    @Override
    public void disconnected(ControllerConnection connection) {
        disconnected.add(connection);
    }

    ControllerConnection nextConnected() throws InterruptedException {
        ControllerConnection c = connected.poll(5, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no connection reached ESTABLISHED within 5 s");
        }
        return c;
    }
}
