package io.vigil.deploy.cli;

import picocli.CommandLine.IVersionProvider;

/** Vigil's version, from the runnable jar's manifest ({@code dev} when run from classes). */
public final class VersionInfo implements IVersionProvider {

    public static String vigil() {
        String version = VersionInfo.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"vigil " + vigil()};
    }
}
