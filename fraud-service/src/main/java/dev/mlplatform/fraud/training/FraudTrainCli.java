package dev.mlplatform.fraud.training;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The entry point of {@code ./platform fraud train} (see {@link FraudTrainCommand}): a plain process, no
 * Spring context. Libraries log to {@code .platform/logs/fraud-train.log}, so that the console carries
 * only progress and the result.
 */
public final class FraudTrainCli {

    private FraudTrainCli() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // Before the first logger exists: the console is the command's, not the libraries'.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "fraud-train-logback.xml");
        }
        Path home = Path.of(System.getProperty("platform.home", ".")).toAbsolutePath().normalize();
        List<String> arguments = Arrays.asList(args);
        int status;
        try {
            status = FraudTrainCommand.run(arguments, home, System.getenv(), System.out, System.err);
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            System.err.println("error: " + message + " (details in .platform/logs/fraud-train.log)");
            LoggerFactory.getLogger(FraudTrainCli.class).error("fraud train failed", e);
            if (arguments.contains("--json")) {
                System.out.println("{\"status\":\"failed\",\"error\":" + JsonMapper.builder().build()
                        .writeValueAsString(message) + "}");
            }
            status = 1;
        }
        System.exit(status);
    }
}
