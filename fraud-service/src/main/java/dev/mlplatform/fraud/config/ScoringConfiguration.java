package dev.mlplatform.fraud.config;

import dev.mlplatform.core.events.CardTokenizer;
import dev.mlplatform.featurestore.online.RedisOnlineStore;
import dev.mlplatform.fraud.decision.DecisionPolicy;
import dev.mlplatform.fraud.decision.DecisionPublisher;
import dev.mlplatform.fraud.decision.DecisionStore;
import dev.mlplatform.fraud.decision.RecentDecisions;
import dev.mlplatform.fraud.features.OnlineFeatures;
import dev.mlplatform.fraud.model.ChallengerOutcomes;
import dev.mlplatform.fraud.model.ServingDrift;
import dev.mlplatform.fraud.model.ServingModel;
import dev.mlplatform.fraud.rules.RuleBook;
import dev.mlplatform.fraud.scoring.FraudPipeline;
import dev.mlplatform.fraud.scoring.ModelRouter;
import dev.mlplatform.fraud.scoring.TransactionIntake;
import dev.mlplatform.fraud.scoring.TransactionScorer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The scoring path: intake, online features behind a circuit breaker, rules, model, thresholds. */
@Configuration(proxyBeanMethods = false)
class ScoringConfiguration {

    private static final Duration STORE_TIMEOUT_FLOOR = Duration.ofSeconds(1);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    TransactionIntake transactionIntake(Clock clock) {
        return new TransactionIntake(CardTokenizer.fromEnvironment(), clock);
    }

    @Bean
    RuleBook ruleBook() {
        return new RuleBook();
    }

    @Bean
    DecisionPolicy decisionPolicy(FraudProperties properties) {
        return new DecisionPolicy(properties.thresholds().review(), properties.thresholds().decline());
    }

    @Bean(destroyMethod = "close")
    OnlineFeatures onlineFeatures(FraudProperties properties, MeterRegistry meters, Clock clock) {
        FraudProperties.Features config = properties.features();
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.slidingWindowSize())
                .minimumNumberOfCalls(config.minimumNumberOfCalls())
                .failureRateThreshold(config.failureRateThreshold())
                .slowCallDurationThreshold(config.timeout())
                .slowCallRateThreshold(config.failureRateThreshold())
                .waitDurationInOpenState(config.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(5)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        CircuitBreaker breaker = breakers.circuitBreaker("online-features");
        TimeLimiter limiter = TimeLimiter.of("online-features", TimeLimiterConfig.custom()
                .timeoutDuration(config.timeout())
                .cancelRunningFuture(true)
                .build());
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor readers = new ThreadPoolExecutor(config.readerThreads(), config.readerThreads(),
                60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.readerThreads() * 32), runnable -> {
                    Thread thread = new Thread(runnable, "online-features-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        // The time limiter bounds each read; the store's own bound also covers connecting (the handshake
        // runs under it), which must not fail just because the machine is busy for 40 ms.
        Duration storeTimeout = config.timeout().compareTo(STORE_TIMEOUT_FLOOR) > 0 ? config.timeout() : STORE_TIMEOUT_FLOOR;
        OnlineFeatures features = new OnlineFeatures(
                () -> RedisOnlineStore.connect(config.redisUrl(), storeTimeout), breaker, limiter, readers,
                meters, clock);
        features.connect();
        return features;
    }

    @Bean(destroyMethod = "close")
    ServingModel servingModel(MeterRegistry meters) {
        return new ServingModel(meters);
    }

    @Bean
    TransactionScorer transactionScorer(OnlineFeatures features, RuleBook rules, ModelRouter models,
                                        DecisionPolicy policy, Clock clock) {
        return new TransactionScorer(features, rules, models, policy, clock);
    }

    @Bean
    RecentDecisions recentDecisions() {
        return new RecentDecisions(100_000);
    }

    @Bean
    FraudPipeline fraudPipeline(TransactionScorer scorer, DecisionStore store, DecisionPublisher publisher,
                                RecentDecisions recent, MeterRegistry meters, ServingDrift drift,
                                ChallengerOutcomes challengers) {
        return new FraudPipeline(scorer, store, publisher, recent, meters, drift, challengers);
    }
}
