package io.shunt.datapath.engine;

import java.io.IOException;

/** Public face of {@link PmdRoundFixture} for the benchmark package. */
public final class PmdRoundDriver implements AutoCloseable {
    private final PmdRoundFixture fixture;

    public PmdRoundDriver() throws IOException {
        fixture = new PmdRoundFixture();
    }

    public int switchedRound() {
        return fixture.switchedRound();
    }

    public int bareRingRound() {
        return fixture.bareRingRound();
    }

    @Override
    public void close() throws IOException {
        fixture.close();
    }
}
