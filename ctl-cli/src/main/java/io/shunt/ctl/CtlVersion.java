package io.shunt.ctl;

import picocli.CommandLine.IVersionProvider;

/** The version of this shunt-ctl build, from the jar manifest when there is one. */
public final class CtlVersion implements IVersionProvider {

    public static String string() {
        String v = CtlVersion.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"shunt-ctl " + string()};
    }
}
