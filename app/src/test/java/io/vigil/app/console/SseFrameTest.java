package io.vigil.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SseFrameTest {

  @Test
  void eventCarriesNameIdAndDataAndEndsWithAnEmptyLine() {
    assertThat(SseFrame.event("alert", "0:12,1:7", "{\"a\":1}"))
        .isEqualTo("event: alert\nid: 0:12,1:7\ndata: {\"a\":1}\n\n");
  }

  @Test
  void everyLineOfMultiLineDataGetsItsOwnDataField() {
    assertThat(SseFrame.event("alert", null, "first\nsecond\r\nthird\rfourth"))
        .isEqualTo("event: alert\ndata: first\ndata: second\ndata: third\ndata: fourth\n\n");
  }

  @Test
  void emptyLinesAndLeadingSpacesOfTheDataSurvive() {
    // The browser strips one space after "data:"; the one we add, not the data's own.
    assertThat(SseFrame.event(null, null, "  indented\n\nlast\n"))
        .isEqualTo("data:   indented\ndata: \ndata: last\ndata: \n\n");
  }

  @Test
  void eventWithoutNameOrIdHasOnlyData() {
    assertThat(SseFrame.event(null, null, "x")).isEqualTo("data: x\n\n");
  }

  @Test
  void idOrNameWithALineBreakOrNulIsRefused() {
    assertThatThrownBy(() -> SseFrame.event("alert", "1\n2", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event id must not contain a line break or NUL: '1\\n2'");
    assertThatThrownBy(() -> SseFrame.event("a\rb", null, "x")).hasMessageContaining("event name");
    assertThatThrownBy(() -> SseFrame.event("alert", "1\0", "x")).hasMessageContaining("NUL");
  }

  @Test
  void dataThatLooksLikeFieldsStaysData() {
    assertThat(SseFrame.event("alert", "1", "x\nid: forged\nevent: remove\n: comment"))
        .isEqualTo(
            "event: alert\n"
                + "id: 1\n"
                + "data: x\n"
                + "data: id: forged\n"
                + "data: event: remove\n"
                + "data: : comment\n\n");
  }

  @Test
  void commentsStartWithAColonOnEveryLine() {
    assertThat(SseFrame.comment("keep-alive")).isEqualTo(": keep-alive\n\n");
    assertThat(SseFrame.comment("a\nb")).isEqualTo(": a\n: b\n\n");
  }

  @Test
  void retryIsInMilliseconds() {
    assertThat(SseFrame.retry(Duration.ofSeconds(3))).isEqualTo("retry: 3000\n\n");
  }
}
