package io.shunt.datapath.action;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.datapath.testing.ReferenceChecksums;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ChecksumAlgorithmsTest {
    @Test
    void crc32cOfSegmentBytesMatchesACrcOverTheSameBytesAtAnyOffsetAndLength() {
        SplittableRandom r = new SplittableRandom(7);
        byte[] data = new byte[9000];
        r.nextBytes(data);
        MemorySegment seg = MemorySegment.ofArray(data);
        Crc32c crc = new Crc32c();
        // lengths around the 2 KiB staging chunk and up to a jumbo frame
        for (int len : new int[] {0, 1, 7, 8, 30, 2047, 2048, 2049, 4096, 4097, 8990}) {
            for (int off = 0; off < 9; off++) {
                CRC32C whole = new CRC32C();
                whole.update(data, off, len);
                assertEquals((int) whole.getValue(), crc.compute(seg, off, len), "offset " + off + " length " + len);
            }
        }
    }

    @Test
    void crc32cOfTheStandardCheckString() {
        // the check value of CRC-32/ISCSI (= CRC-32C) in the CRC catalogue: the CRC of "123456789"
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, new Crc32c().compute(MemorySegment.ofArray(check), 0, check.length));
    }

    @Test
    void incrementalUpdatesEqualARecomputation() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[20];
            r.nextBytes(data);
            data[10] = data[11] = 0;
            int before = ReferenceChecksums.checksum(data, 0, 20);
            int width = 2 << r.nextInt(3); // 2, 4 or 8 bytes change
            int at = 2 * r.nextInt((20 - width) / 2 + 1);
            if (at <= 11 && at + width > 10) {
                continue; // keep the checksum field itself out of the changed range
            }
            long old = read(data, at, width);
            long neu = r.nextLong();
            write(data, at, width, neu);
            int expected = ReferenceChecksums.checksum(data, 0, 20);
            int updated = switch (width) {
                case 2 -> InternetChecksum.update16(before, (int) old, (int) neu & 0xffff);
                case 4 -> InternetChecksum.update32(before, (int) old, (int) neu);
                default -> InternetChecksum.update64(before, old, neu);
            };
            assertEquals(expected, updated, "change of " + width + " bytes at " + at);
        }
    }

    private static long read(byte[] b, int at, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }

    private static void write(byte[] b, int at, int width, long v) {
        for (int i = width - 1; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
