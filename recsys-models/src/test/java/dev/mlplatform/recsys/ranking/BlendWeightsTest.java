package dev.mlplatform.recsys.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlendWeightsTest {

    @Test
    void roundTripsAsOneLinePerSource() throws IOException {
        BlendWeights weights = new BlendWeights(1.25, 0, 0.5, 0.125, 0.4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        weights.write(out);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("collaborative=1.25\n", "embedding=0.5\n")
                .doesNotContain("exploration");
        assertThat(BlendWeights.read(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(weights);
    }

    @Test
    void refusesAnArtifactThatIsNotWeights() {
        assertThatThrownBy(() -> BlendWeights.read(new ByteArrayInputStream("colour=1\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class).hasMessageContaining("colour=1");
        assertThatThrownBy(() -> BlendWeights.read(new ByteArrayInputStream("recent=-1\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class).hasMessageContaining("0 or more");
    }

    @Test
    void blendsScaledScoresIntoZeroToOneAndOneSourceAloneRanksByThatSource() {
        Map<Source, Double> scores = Map.of(Source.COLLABORATIVE, 1.0, Source.TRENDING, 0.5);

        assertThat(BlendWeights.DEFAULT.blend(scores)).isCloseTo((1.0 + 0.3 * 0.5) / 3.1, offset(1e-12));
        assertThat(BlendWeights.only(Source.TRENDING).blend(scores)).isEqualTo(0.5);
        assertThat(BlendWeights.only(Source.RECENT).blend(scores)).isZero();
    }
}
