package io.shunt.datapath.guest;

import java.util.Arrays;

/**
 * The link ends one port uses, as the {@link DeviceWatcher} last published them: at most one
 * transmitting end (a port is A of one direct path at a time) and any number of receiving
 * ends (several direct paths may end at B). Immutable; a port's data threads read the
 * current one once per burst, so nothing changes for them within a burst.
 */
final class PortLinks {
    static final PortLinks NONE = new PortLinks(null, new RxLink[0]);

    final TxLink tx;
    final RxLink[] rx;

    PortLinks(TxLink tx, RxLink[] rx) {
        this.tx = tx;
        this.rx = rx;
    }

    boolean sameAs(TxLink otherTx, RxLink[] otherRx) {
        return tx == otherTx && Arrays.equals(rx, otherRx);
    }
}
