package dev.mlplatform.jobs.recsys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlplatform.core.events.InteractionEvent;
import dev.mlplatform.jobs.common.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** What the job's streams and state carry goes through Flink's own serializers, never Kryo. */
class StreamTypesTest {

    @Test
    void everyRecordOfTheJobIsAFlinkPojoAllTheWayDown() {
        for (Class<?> type : List.of(InteractionEvent.class, ItemCategory.class, CategorizedInteraction.class,
                Trending.SegmentInteraction.class, UserRecentFunction.ItemInteraction.class,
                UserRecentFunction.RegionAt.class, DeadLetter.class)) {
            assertThat(kryoFields(TypeInformation.of(type), type.getSimpleName())).as(type.getName()).isEmpty();
            assertThat(TypeInformation.of(type)).as(type.getName()).isInstanceOf(PojoTypeInfo.class);
        }
    }

    private static List<String> kryoFields(TypeInformation<?> type, String path) {
        List<String> kryo = new ArrayList<>();
        if (type instanceof GenericTypeInfo) {
            kryo.add(path);
        } else if (type instanceof PojoTypeInfo<?> pojo) {
            for (int i = 0; i < pojo.getArity(); i++) {
                kryo.addAll(kryoFields(pojo.getTypeAt(i), path + "." + pojo.getPojoFieldAt(i).getField().getName()));
            }
        }
        return kryo;
    }
}
