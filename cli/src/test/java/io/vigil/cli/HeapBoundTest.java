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
  void anAgentKeepsOneJvm() {
    // a metrics exporter binds its port; a profiler writes its file at exit
    assertThat(
            HeapBound.keepsOneJvm(
                List.of("-Xms64m", "-javaagent:/opt/jmx_prometheus_javaagent.jar=9404:c.yaml")))
        .isTrue();
    assertThat(
            HeapBound.keepsOneJvm(
                List.of("-agentpath:/opt/libasyncProfiler.so=start,event=cpu,file=p.html")))
        .isTrue();
  }

  @Test
  void otherOptionsGoToTheBoundedJvm() {
    assertThat(
            HeapBound.keepsOneJvm(
                List.of(
                    "-Dvigil.x=1",
                    "-XX:+ExitOnOutOfMemoryError",
                    "-XX:StartFlightRecording=filename=vigil.jfr",
                    "-Xlog:gc:file=gc.log")))
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
