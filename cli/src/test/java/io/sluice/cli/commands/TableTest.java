package io.sluice.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellPlusTwo() {
        StringWriter out = new StringWriter();

        new Table("TOPIC", "LAG").row("orders-with-a-long-name", 6).row("a", "-").print(new PrintWriter(out));

        assertThat(out.toString().lines()).containsExactly(
                "TOPIC                    LAG",
                "orders-with-a-long-name  6",
                "a                        -");
    }

    @Test
    void aRowMustFillEveryColumn() {
        assertThatThrownBy(() -> new Table("A", "B").row("x")).isInstanceOf(IllegalArgumentException.class);
    }
}
