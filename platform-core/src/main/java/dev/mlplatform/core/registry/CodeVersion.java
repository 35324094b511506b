package dev.mlplatform.core.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The code version recorded in a model's lineage: the git commit when known. */
public final class CodeVersion {

    private CodeVersion() {
    }

    /**
     * {@code <component>@<version>+<commit>}, e.g. {@code fraud-service@dev+3f2a…}: the commit from {@code GIT_COMMIT}
     * or {@code git rev-parse HEAD}.
     */
    public static String current(String component) {
        String version = CodeVersion.class.getPackage().getImplementationVersion();
        String commit = System.getenv("GIT_COMMIT");
        if (commit == null || commit.isBlank()) {
            commit = gitHead();
        }
        return component + "@" + (version == null ? "dev" : version) + (commit == null ? "" : "+" + commit);
    }

    private static String gitHead() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!git.waitFor(2, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return null;
            }
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return git.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
