package dev.mlplatform.simulators.fraud;

import dev.mlplatform.core.events.TransactionEvent;
import dev.mlplatform.core.events.TransactionEvent.GeoPoint;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Generates a labelled, time-ordered stream of card transactions, day by day.
 *
 * <p>The population follows the handbook's simulator: customers and terminals on a 100 x 100 grid,
 * each customer paying at terminals within a radius of home, with a personal mean amount and daily
 * rate; fraud from large amounts, compromised terminals (28 days) and compromised cards (14 days,
 * amounts x5). To that it adds what a card network sees and the handbook lacks: card numbers,
 * merchants and their category codes, channels, devices, IPs, coordinates, countries, and card-testing
 * bursts that only velocity features reveal. The same seed gives the same stream.
 */
public final class TransactionSimulator {

    static final double LARGE_AMOUNT_LIMIT = 220.0;
    private static final int GRID = 100;
    private static final double TERMINAL_RADIUS = 5.0;
    private static final int TERMINAL_COMPROMISE_DAYS = 28;
    private static final int CARD_COMPROMISE_DAYS = 14;
    private static final String[] MCCS = {"5411", "5812", "5999", "5541", "5311", "4111", "5732", "5912", "7011", "5691"};
    private static final String[] COUNTRIES = {"FR", "DE", "ES", "IT", "NL"};

    private record Customer(String id, String cardNumber, double x, double y, double meanAmount, double stdAmount,
                            double meanTransactionsPerDay, double ecommerceShare, String deviceId, String ip,
                            int[] terminals) {
    }

    private record Terminal(String id, String merchantId, String mcc, double x, double y) {
    }

    private final SimulationConfig config;
    private final List<Customer> customers;
    private final List<Terminal> terminals;

    public TransactionSimulator(SimulationConfig config) {
        this.config = config;
        SplittableRandom random = new SplittableRandom(config.seed());
        this.terminals = createTerminals(config.terminals(), random);
        this.customers = createCustomers(config.customers(), random, terminals);
    }

    /** The first {@code days} days of the stream, ordered by event time. */
    public List<LabelledTransaction> generate(int days) {
        List<LabelledTransaction> all = new ArrayList<>();
        Iterator<LabelledTransaction> stream = stream();
        Instant end = config.start().plus(days, ChronoUnit.DAYS);
        while (true) {
            LabelledTransaction next = stream.next();
            if (!next.transaction().timestamp().isBefore(end)) {
                return all;
            }
            all.add(next);
        }
    }

    /** The endless stream, one simulated day after another, ordered by event time. */
    public Iterator<LabelledTransaction> stream() {
        return new Iterator<>() {
            private final Map<Integer, Integer> terminalCompromisedUntilDay = new HashMap<>();
            private final Map<Integer, Integer> cardCompromisedUntilDay = new HashMap<>();
            private int day;
            private Iterator<LabelledTransaction> today = List.<LabelledTransaction>of().iterator();

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public LabelledTransaction next() {
                while (!today.hasNext()) {
                    today = simulateDay(day++, terminalCompromisedUntilDay, cardCompromisedUntilDay).iterator();
                }
                if (!today.hasNext()) {
                    throw new NoSuchElementException();
                }
                return today.next();
            }
        };
    }

    private List<LabelledTransaction> simulateDay(int day, Map<Integer, Integer> terminalCompromisedUntilDay,
                                                  Map<Integer, Integer> cardCompromisedUntilDay) {
        SplittableRandom random = new SplittableRandom(config.seed() * 31 + day);
        Instant dayStart = config.start().plus(day, ChronoUnit.DAYS);
        terminalCompromisedUntilDay.values().removeIf(until -> until <= day);
        cardCompromisedUntilDay.values().removeIf(until -> until <= day);

        List<LabelledTransaction> transactions = new ArrayList<>();
        int sequence = 0;
        for (Customer customer : customers) {
            int count = poisson(customer.meanTransactionsPerDay(), random);
            for (int i = 0; i < count && customer.terminals().length > 0; i++) {
                long secondOfDay = Math.round(random.nextGaussian() * 20_000 + 43_200);
                if (secondOfDay < 0 || secondOfDay >= 86_400) {
                    continue;
                }
                double amount = customer.meanAmount() + random.nextGaussian() * customer.stdAmount();
                if (amount <= 0) {
                    amount = random.nextDouble(0.5, customer.meanAmount() * 2);
                }
                int terminalIndex = customer.terminals()[random.nextInt(customer.terminals().length)];
                int customerIndex = Integer.parseInt(customer.id().substring(5));
                FraudScenario scenario = FraudScenario.LEGITIMATE;
                if (cardCompromisedUntilDay.containsKey(customerIndex) && random.nextInt(3) == 0) {
                    amount *= 5;
                    scenario = FraudScenario.COMPROMISED_CARD;
                } else if (terminalCompromisedUntilDay.containsKey(terminalIndex)) {
                    scenario = FraudScenario.COMPROMISED_TERMINAL;
                } else if (amount > LARGE_AMOUNT_LIMIT) {
                    scenario = FraudScenario.LARGE_AMOUNT;
                }
                boolean ecommerce = random.nextDouble() < customer.ecommerceShare();
                Instant timestamp = dayStart.plusSeconds(secondOfDay).plusMillis(random.nextInt(1000));
                transactions.add(transaction(day, sequence++, customer, terminals.get(terminalIndex), amount,
                        timestamp, ecommerce, customer.deviceId(), customer.ip(), home(customer), scenario));
            }
        }
        transactions.addAll(cardTestingBursts(day, dayStart, random, sequence));

        // Compromise for the coming days, as the handbook does: the effect starts the next day.
        for (int i = 0; i < config.compromisedTerminalsPerDay(); i++) {
            terminalCompromisedUntilDay.putIfAbsent(random.nextInt(terminals.size()), day + 1 + TERMINAL_COMPROMISE_DAYS);
        }
        for (int i = 0; i < config.compromisedCardsPerDay(); i++) {
            cardCompromisedUntilDay.putIfAbsent(random.nextInt(customers.size()), day + 1 + CARD_COMPROMISE_DAYS);
        }
        transactions.sort(Comparator.comparing(t -> t.transaction().timestamp()));
        return transactions;
    }

    /** A stolen card tried with 5 to 15 small online payments in a few minutes, from one new device far away. */
    private List<LabelledTransaction> cardTestingBursts(int day, Instant dayStart, SplittableRandom random, int sequence) {
        List<LabelledTransaction> burst = new ArrayList<>();
        for (int b = 0; b < config.cardTestingBurstsPerDay(); b++) {
            Customer victim = customers.get(random.nextInt(customers.size()));
            if (victim.terminals().length == 0) {
                continue;
            }
            String device = "dev-x" + day + "-" + b;
            String ip = "198.51.100." + random.nextInt(1, 255);
            GeoPoint far = new GeoPoint(35 + random.nextDouble(30), -10 + random.nextDouble(40));
            Instant t = dayStart.plusSeconds(random.nextLong(600, 85_000));
            int size = random.nextInt(5, 16);
            for (int i = 0; i < size; i++) {
                Terminal terminal = terminals.get(victim.terminals()[random.nextInt(victim.terminals().length)]);
                burst.add(transaction(day, sequence++, victim, terminal, random.nextDouble(1, 10), t, true, device, ip,
                        far, FraudScenario.CARD_TESTING_BURST));
                t = t.plusMillis(random.nextLong(2_000, 25_000));
            }
        }
        return burst;
    }

    private LabelledTransaction transaction(int day, int sequence, Customer customer, Terminal terminal, double amount,
                                            Instant timestamp, boolean ecommerce, String deviceId, String ip,
                                            GeoPoint location, FraudScenario scenario) {
        String id = "tx-" + Long.toHexString(config.seed()) + "-" + day + "-" + sequence;
        String channel = ecommerce ? "ecommerce" : (sequence % 3 == 0 ? "contactless" : "pos");
        GeoPoint where = ecommerce ? location : new GeoPoint(latitude(terminal.y()), longitude(terminal.x()));
        TransactionEvent event = new TransactionEvent(id, customer.cardNumber(), null, customer.id(),
                terminal.merchantId(), terminal.id(), terminal.mcc(),
                BigDecimal.valueOf(Math.max(amount, 0.01)).setScale(2, RoundingMode.HALF_UP), "EUR", timestamp, channel,
                ecommerce ? deviceId : null, ecommerce ? ip : null, where, country(where.lon()), authentication(channel));
        return new LabelledTransaction(event, scenario != FraudScenario.LEGITIMATE, scenario);
    }

    /** How the cardholder is verified on each channel: the simulator writes event schema v2. */
    private static String authentication(String channel) {
        return switch (channel) {
            case "ecommerce" -> "3ds";
            case "pos" -> "pin";
            default -> "none";
        };
    }

    private static List<Terminal> createTerminals(int count, SplittableRandom random) {
        List<Terminal> terminals = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            terminals.add(new Terminal("t-" + i, "m-" + i / 2, MCCS[random.nextInt(MCCS.length)],
                    random.nextDouble(GRID), random.nextDouble(GRID)));
        }
        return terminals;
    }

    private static List<Customer> createCustomers(int count, SplittableRandom random, List<Terminal> terminals) {
        List<Customer> customers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double x = random.nextDouble(GRID);
            double y = random.nextDouble(GRID);
            double mean = random.nextDouble(5, 100);
            List<Integer> near = new ArrayList<>();
            for (int t = 0; t < terminals.size(); t++) {
                if (Math.hypot(terminals.get(t).x() - x, terminals.get(t).y() - y) < TERMINAL_RADIUS) {
                    near.add(t);
                }
            }
            customers.add(new Customer("cust-" + i, cardNumber(random), x, y, mean, mean / 2,
                    random.nextDouble(0, 4), random.nextDouble(0.1, 0.5), "dev-" + i,
                    "203.0." + random.nextInt(256) + "." + random.nextInt(1, 255),
                    near.stream().mapToInt(Integer::intValue).toArray()));
        }
        return customers;
    }

    /** A 16-digit Visa-like number with a valid Luhn check digit. */
    public static String cardNumber(RandomGenerator random) {
        int[] digits = new int[16];
        digits[0] = 4;
        for (int i = 1; i < 15; i++) {
            digits[i] = random.nextInt(10);
        }
        int sum = 0;
        for (int i = 14, position = 0; i >= 0; i--, position++) {
            int d = digits[i];
            if (position % 2 == 0) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        digits[15] = (10 - sum % 10) % 10;
        StringBuilder number = new StringBuilder(16);
        for (int d : digits) {
            number.append(d);
        }
        return number.toString();
    }

    private static GeoPoint home(Customer customer) {
        return new GeoPoint(latitude(customer.y()), longitude(customer.x()));
    }

    private static double latitude(double gridY) {
        return 43 + gridY * 0.1;
    }

    private static double longitude(double gridX) {
        return -1 + gridX * 0.12;
    }

    private static String country(double longitude) {
        int band = (int) Math.floor((longitude + 1) / 2.4);
        return COUNTRIES[Math.floorMod(band, COUNTRIES.length)];
    }

    private static int poisson(double mean, SplittableRandom random) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }
}
