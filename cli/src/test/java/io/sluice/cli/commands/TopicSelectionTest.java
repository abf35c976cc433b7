package io.sluice.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TopicSelectionTest {

    @Test
    void aBareTopicMeansAllItsPartitions() {
        TopicSelection selection = TopicSelection.parse("orders");

        assertThat(selection.topic()).isEqualTo("orders");
        assertThat(selection.allPartitions()).isTrue();
    }

    @Test
    void partitionsFollowTheLastColon() {
        assertThat(TopicSelection.parse("orders:0,2, 5")).isEqualTo(new TopicSelection("orders", List.of(0, 2, 5)));
        assertThat(TopicSelection.parse("a:b:1")).isEqualTo(new TopicSelection("a:b", List.of(1)));
    }

    @Test
    void aPartitionThatIsNotANumberIsRefusedByName() {
        assertThatThrownBy(() -> TopicSelection.parse("orders:1,x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x' is not a partition number");
        assertThatThrownBy(() -> TopicSelection.parse("orders:")).hasMessageContaining("'' is not a partition number");
        assertThatThrownBy(() -> TopicSelection.parse("orders:-1")).hasMessageContaining("'-1'");
        assertThatThrownBy(() -> TopicSelection.parse(":1")).hasMessageContaining("names no topic");
    }
}
