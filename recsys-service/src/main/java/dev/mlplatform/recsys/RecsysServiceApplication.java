package dev.mlplatform.recsys;

import dev.mlplatform.core.web.ServiceWebConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Recommendations served: each user's candidates precomputed nightly in Redis, adjusted by what the user did in
 * the last minutes, ranked, diversified and explored; interactions in over REST ({@code POST
 * /api/recs/v1/interactions}) onto {@code recsys.interactions.v1}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import(ServiceWebConfiguration.class)
public class RecsysServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(RecsysServiceApplication.class, args);
    }
}
