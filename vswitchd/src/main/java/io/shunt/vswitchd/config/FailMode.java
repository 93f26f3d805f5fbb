package io.shunt.vswitchd.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a bridge does when no controller is connected (as Open vSwitch's
 * fail_mode): STANDALONE forwards as a MAC-learning switch (NORMAL), SECURE
 * forwards only by the flows it has.
 */
public enum FailMode {
    STANDALONE,
    SECURE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static FailMode fromWireName(String name) {
        for (FailMode mode : values()) {
            if (mode.wireName().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown fail mode '" + name + "' (expected standalone or secure)");
    }
}
