package io.vigil.app.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleCatalogTest {

  @Test
  void theIngestGapRuleIsListedWithItsLevelAndSource() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    boolean ok =
        RuleCatalog.list(
            VigilConfig.load(Optional.empty(), Map.of(), Map.of()),
            List.of(),
            new PrintWriter(out, true),
            new PrintWriter(err, true));

    assertThat(ok).isTrue();
    assertThat(out.toString().lines())
        .anyMatch(
            l ->
                l.startsWith("vigil-ingest-gap ")
                    && l.contains(" ingest ")
                    && l.contains(" high ")
                    && l.contains("classpath:rules/ingest/vigil-ingest-gap.yml"));
  }
}
