package io.shunt.vswitchd;

import picocli.CommandLine.IVersionProvider;

/** The version of this build, from the jar manifest when there is one. */
public final class Version implements IVersionProvider {

    public static String string() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"shunt-vswitchd " + string(), "Java " + Runtime.version()};
    }
}
