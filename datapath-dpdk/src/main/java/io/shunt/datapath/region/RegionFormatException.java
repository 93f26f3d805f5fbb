package io.shunt.datapath.region;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A region file that cannot be attached: each subclass names one way a file can be wrong,
 * so that a caller (and a test) can tell "not a shunt region" from "a shunt region from
 * another version" from "a region cut short". The message always names the file.
 */
public abstract sealed class RegionFormatException extends IOException {
    private final Path file;

    RegionFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /** The region file that was rejected. */
    public Path file() {
        return file;
    }

    /** The magic at offset 0 is not "SHUNTRGN": not a shunt region, or not yet initialised. */
    public static final class BadMagic extends RegionFormatException {
        public BadMagic(Path file, long found) {
            super(file, String.format("bad magic 0x%016x at offset 0, expected 0x%016x (\"SHUNTRGN\")%s",
                    found, RegionHeaderLayout.MAGIC, found == 0 ? ": region not initialised" : ""));
        }
    }

    /** The header format or the kind-specific layout has another version than this code. */
    public static final class VersionMismatch extends RegionFormatException {
        public VersionMismatch(Path file, String what, int found, int expected) {
            super(file, what + " version " + found + ", this code understands version " + expected);
        }
    }

    /** The region is of another kind than the caller expects (e.g. a link region given as a port). */
    public static final class WrongKind extends RegionFormatException {
        public WrongKind(Path file, int foundCode, RegionKind expected) {
            super(file, "region kind " + describe(foundCode) + ", expected " + expected);
        }

        private static String describe(int code) {
            RegionKind kind = RegionKind.fromCode(code);
            return kind == null ? "code " + code + " (unknown)" : kind.toString();
        }
    }

    /** The header's size field (or the file length) is not a power of two. */
    public static final class SizeNotPowerOfTwo extends RegionFormatException {
        public SizeNotPowerOfTwo(Path file, String what, long size) {
            super(file, what + " " + size + " is not a power of two");
        }
    }

    /** The region is smaller than the layout it declares (or the caller needs) requires. */
    public static final class TooSmall extends RegionFormatException {
        public TooSmall(Path file, String what, long needed, long size) {
            super(file, what + " needs " + needed + " bytes, region size is " + size);
        }
    }

    /** The file is shorter than the header says: mapping it would fault (SIGBUS) past its end. */
    public static final class Truncated extends RegionFormatException {
        public Truncated(Path file, long fileLength, long expected) {
            super(file, "file is " + fileLength + " bytes long, region needs " + expected + " (truncated)");
        }
    }

    /** Any other inconsistency inside the header or a descriptor (bad name, bad table row, bad ring). */
    public static final class Corrupt extends RegionFormatException {
        public Corrupt(Path file, long offset, String message) {
            super(file, "at offset " + offset + ": " + message);
        }
    }
}
