package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeapBoundTest {

  @Test
  void aDebuggerOrAJmxPortKeepsOneJvm() {
    assertThat(
            HeapBound.keepsOneJvm(
                List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005")))
        .isTrue();
    assertThat(HeapBound.keepsOneJvm(List.of("-Dcom.sun.management.jmxremote.port=9010"))).isTrue();
  }

  @Test
  void otherOptionsGoToTheBoundedJvm() {
    assertThat(HeapBound.keepsOneJvm(List.of("-Dvigil.x=1", "-XX:+ExitOnOutOfMemoryError")))
        .isFalse();
    assertThat(HeapBound.keepsOneJvm(List.of())).isFalse();
  }

  @Test
  void theChildRunsTheSameCommandWithTheBoundAndTheLaunchersPid() {
    List<String> command = HeapBound.childCommand(new String[] {"run", "--http-port", "1"});
    assertThat(command)
        .contains(
            "-Xmx512m", "-D" + HeapBound.LAUNCHER_PROPERTY + "=" + ProcessHandle.current().pid())
        .endsWith(VigilCommand.class.getName(), "run", "--http-port", "1");
  }
}
