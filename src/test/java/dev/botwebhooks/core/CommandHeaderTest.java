package dev.botwebhooks.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandHeaderTest {
  @Test
  void parse_botsBusinessExport_readsCommandAliasesAndAnswer() {
    CommandHeader h =
        CommandHeader.parse(
            "\uFEFF  /*CMD\r\n  command: /onWebhook\r\n  help: \r\n  need_reply: false\r\n"
                + "  answer: <<ANSWER\r\nline one\r\n  line two\r\nANSWER\r\n"
                + "  aliases: /hook, /wh,, /hook\r\n  group: \r\nCMD*/\r\nBot.sendMessage(1);");
    assertThat(h.command()).contains("/onWebhook");
    assertThat(h.aliases()).containsExactly("/hook", "/wh");
    assertThat(h.answer()).contains("line one\n  line two");
    assertThat(h.values()).containsEntry("need_reply", "false").containsKey("group");
  }

  @Test
  void parse_noHeader_isEmpty() {
    CommandHeader h = CommandHeader.parse("var x = '/*CMD command: /x CMD*/';");
    assertThat(h.values()).isEmpty();
    assertThat(h.command()).isEmpty();
    assertThat(h.aliases()).isEmpty();
  }

  @Test
  void parse_emptyCommandValue_isAbsent() {
    assertThat(CommandHeader.parse("/*CMD\ncommand:\nCMD*/").command()).isEmpty();
  }

  @Test
  void parse_keysAreCaseInsensitiveAndOtherLinesIgnored() {
    CommandHeader h = CommandHeader.parse("/*CMD\nCommand: /a\n just text\nALIASES: /b\nCMD*/");
    assertThat(h.command()).contains("/a");
    assertThat(h.aliases()).containsExactly("/b");
  }

  @Test
  void parse_unclosedHeader_isRefused() {
    assertThatThrownBy(() -> CommandHeader.parse("/*CMD\ncommand: /a\n"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("CMD*/");
  }

  @Test
  void parse_unendedMultiLineValue_isRefused() {
    assertThatThrownBy(() -> CommandHeader.parse("/*CMD\nanswer: <<END\nhi\nCMD*/"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("END");
  }
}
