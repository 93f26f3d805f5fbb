package io.shunt.vnf;

/** A 48-bit Ethernet address, as six bytes in wire order. */
record MacAddress(byte[] bytes) {
    MacAddress {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(s.isEmpty() ? "" : ":").append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }
}
