package io.shunt.vswitchd.config;

import java.util.regex.Pattern;

/**
 * The names bridges, ports and trust domains may take. They become file
 * names (region files such as {@code shunt-pool-<domain>}, sockets) and
 * Linux interface names, so they are kept to what both
 * accept: at most 15 characters (IFNAMSIZ - 1) of letters, digits, '-', '_'
 * and '.', not starting with '.' or '-'.
 */
final class ConfigNames {

    static final String RULE = "1 to 15 characters of [A-Za-z0-9_.-], not starting with '.' or '-'";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}");

    private ConfigNames() {}

    static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}
