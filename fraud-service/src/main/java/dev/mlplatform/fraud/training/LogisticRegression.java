package dev.mlplatform.fraud.training;

/**
 * L2-regularised logistic regression on standardised features: the handbook's linear baseline
 * (scikit-learn's {@code LogisticRegression} with its {@code C}).
 *
 * <p>Written here because no maintained Java library for it is on the classpath (Tribuo's classifiers
 * are not; only its ONNX utilities are), and it is small: Newton's method (iteratively reweighted least
 * squares) minimises {@code Σ logloss + ‖w‖² / (2C)} — the intercept not penalised, as in scikit-learn
 * — to the optimum in a handful of steps with no learning rate to tune, unlike gradient descent, so the
 * baseline is the best model of its kind rather than an under-trained one.
 *
 * <p>Features are standardised with the training rows' mean and standard deviation; a missing value
 * (NaN) becomes the mean.
 */
public final class LogisticRegression {

    private static final int MAX_ITERATIONS = 50;
    private static final double CONVERGED = 1e-8;

    private final double[] means;
    private final double[] scales;
    private final double[] weights;
    private final double intercept;
    private final int iterations;

    private LogisticRegression(double[] means, double[] scales, double[] weights, double intercept, int iterations) {
        this.means = means;
        this.scales = scales;
        this.weights = weights;
        this.intercept = intercept;
        this.iterations = iterations;
    }

    /** Fits to {@code rows} and 0/1 {@code labels}; {@code c} is the inverse regularisation strength. */
    public static LogisticRegression fit(float[][] rows, float[] labels, double c) {
        if (!(c > 0)) {
            throw new IllegalArgumentException("C must be positive, was " + c);
        }
        int n = rows.length;
        int p = rows[0].length;
        double[] means = new double[p];
        double[] scales = new double[p];
        standardisation(rows, means, scales);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = standardised(rows[i], means, scales);
        }
        // Coefficients: p weights then the intercept.
        double[] beta = new double[p + 1];
        int iteration = 0;
        while (iteration < MAX_ITERATIONS) {
            iteration++;
            double[] gradient = new double[p + 1];
            double[][] hessian = new double[p + 1][p + 1];
            for (int i = 0; i < n; i++) {
                double probability = sigmoid(margin(beta, x[i]));
                double residual = probability - labels[i];
                double curvature = Math.max(probability * (1 - probability), 1e-12);
                for (int a = 0; a <= p; a++) {
                    double xa = a < p ? x[i][a] : 1;
                    gradient[a] += residual * xa;
                    for (int b = 0; b <= a; b++) {
                        hessian[a][b] += curvature * xa * (b < p ? x[i][b] : 1);
                    }
                }
            }
            for (int a = 0; a < p; a++) {
                gradient[a] += beta[a] / c;
                hessian[a][a] += 1 / c;
            }
            double[] step = solveSymmetric(hessian, gradient);
            // A full Newton step can overshoot where classes nearly separate: halve it until the loss falls.
            double before = loss(beta, x, labels, c);
            double[] next = new double[p + 1];
            for (int halvings = 0; halvings < 30; halvings++) {
                for (int a = 0; a <= p; a++) {
                    next[a] = beta[a] - step[a];
                }
                if (loss(next, x, labels, c) <= before) {
                    break;
                }
                for (int a = 0; a <= p; a++) {
                    step[a] /= 2;
                }
            }
            double largest = 0;
            for (int a = 0; a <= p; a++) {
                largest = Math.max(largest, Math.abs(next[a] - beta[a]));
            }
            beta = next;
            if (largest < CONVERGED) {
                break;
            }
        }
        double[] weights = new double[p];
        System.arraycopy(beta, 0, weights, 0, p);
        return new LogisticRegression(means, scales, weights, beta[p], iteration);
    }

    /** The probability of fraud of each row. */
    public float[] predict(float[][] rows) {
        float[] scores = new float[rows.length];
        double[] beta = new double[weights.length + 1];
        System.arraycopy(weights, 0, beta, 0, weights.length);
        beta[weights.length] = intercept;
        for (int i = 0; i < rows.length; i++) {
            scores[i] = (float) sigmoid(margin(beta, standardised(rows[i], means, scales)));
        }
        return scores;
    }

    /** Newton steps taken to converge. */
    public int iterations() {
        return iterations;
    }

    private static void standardisation(float[][] rows, double[] means, double[] scales) {
        int p = means.length;
        long[] counts = new long[p];
        for (float[] row : rows) {
            for (int j = 0; j < p; j++) {
                if (Float.isFinite(row[j])) {
                    counts[j]++;
                    means[j] += row[j];
                }
            }
        }
        for (int j = 0; j < p; j++) {
            means[j] = counts[j] == 0 ? 0 : means[j] / counts[j];
        }
        for (float[] row : rows) {
            for (int j = 0; j < p; j++) {
                if (Float.isFinite(row[j])) {
                    double deviation = row[j] - means[j];
                    scales[j] += deviation * deviation;
                }
            }
        }
        for (int j = 0; j < p; j++) {
            double deviation = counts[j] == 0 ? 0 : Math.sqrt(scales[j] / counts[j]);
            // A constant feature carries nothing: it standardises to 0 everywhere.
            scales[j] = deviation > 0 ? deviation : 1;
        }
    }

    private static double[] standardised(float[] row, double[] means, double[] scales) {
        double[] x = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            x[j] = Float.isFinite(row[j]) ? (row[j] - means[j]) / scales[j] : 0;
        }
        return x;
    }

    /** {@code Σ logloss + ‖w‖² / (2C)}, the objective minimised. */
    private static double loss(double[] beta, double[][] x, float[] labels, double c) {
        double loss = 0;
        for (int i = 0; i < x.length; i++) {
            double m = margin(beta, x[i]);
            // log(1 + e^m) - y m, without overflow for large |m|.
            loss += Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))) - labels[i] * m;
        }
        for (int a = 0; a < beta.length - 1; a++) {
            loss += beta[a] * beta[a] / (2 * c);
        }
        return loss;
    }

    private static double margin(double[] beta, double[] x) {
        double margin = beta[x.length];
        for (int j = 0; j < x.length; j++) {
            margin += beta[j] * x[j];
        }
        return margin;
    }

    private static double sigmoid(double margin) {
        return 1 / (1 + Math.exp(-margin));
    }

    /**
     * Solves {@code A s = g} for a symmetric positive definite {@code A} given by its lower triangle
     * (Cholesky decomposition).
     */
    private static double[] solveSymmetric(double[][] a, double[] g) {
        int m = g.length;
        double[][] l = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new IllegalStateException("the Hessian is not positive definite: features are collinear "
                                + "and unregularised");
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            double sum = g[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * y[k];
            }
            y[i] = sum / l[i][i];
        }
        double[] s = new double[m];
        for (int i = m - 1; i >= 0; i--) {
            double sum = y[i];
            for (int k = i + 1; k < m; k++) {
                sum -= l[k][i] * s[k];
            }
            s[i] = sum / l[i][i];
        }
        return s;
    }
}
