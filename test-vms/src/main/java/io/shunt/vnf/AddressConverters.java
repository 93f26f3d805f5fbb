package io.shunt.vnf;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converters for the address options (parsed by hand: no DNS look-up for a literal). */
final class AddressConverters {
    private AddressConverters() {
    }

    /** {@code 02:00:00:00:00:01} to 6 bytes. */
    static final class Mac implements ITypeConverter<MacAddress> {
        @Override
        public MacAddress convert(String value) {
            String[] parts = value.split("[:-]");
            if (parts.length != 6) {
                throw new TypeConversionException("'" + value + "' is not a MAC address (six hex bytes: 02:00:00:00:00:01)");
            }
            byte[] mac = new byte[6];
            for (int i = 0; i < 6; i++) {
                try {
                    int b = Integer.parseInt(parts[i], 16);
                    if (parts[i].length() > 2 || b < 0) {
                        throw new NumberFormatException();
                    }
                    mac[i] = (byte) b;
                } catch (NumberFormatException e) {
                    throw new TypeConversionException("'" + value + "' is not a MAC address: bad byte '" + parts[i] + "'");
                }
            }
            return new MacAddress(mac);
        }
    }

    /** {@code 10.0.0.1} to an int in network order. */
    static final class Ipv4 implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String[] parts = value.split("\\.", -1);
            if (parts.length != 4) {
                throw new TypeConversionException("'" + value + "' is not an IPv4 address (dotted quad: 10.0.0.1)");
            }
            int ip = 0;
            for (String part : parts) {
                int b;
                try {
                    b = Integer.parseInt(part);
                } catch (NumberFormatException e) {
                    b = -1;
                }
                if (b < 0 || b > 255 || part.isEmpty() || part.length() > 3) {
                    throw new TypeConversionException("'" + value + "' is not an IPv4 address: bad byte '" + part + "'");
                }
                ip = (ip << 8) | b;
            }
            return ip;
        }
    }
}
