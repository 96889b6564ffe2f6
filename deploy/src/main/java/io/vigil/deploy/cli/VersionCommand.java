package io.vigil.deploy.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code vigil version}: the version of Vigil and of the Kafka and Java it runs on. */
@Command(name = "version", description = "Print the version of Vigil, Kafka and Java.")
public final class VersionCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("vigil " + VersionInfo.vigil());
        System.out.println("kafka " + VersionInfo.kafka());
        System.out.println("java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        return 0;
    }
}
