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

  /**
   * Exports write a multi-line answer or keyboard as a block on lines of its own; its lines are
   * the value, never keys (an answer line shaped like {@code Command: ...} names no command).
   */
  @Test
  void parse_exportsAnswerAndKeyboardBlocks_areTheirValues() {
    CommandHeader h =
        CommandHeader.parse(
            "/*CMD\n  command: /url\n  help: \n  need_reply: true\n\n  <<ANSWER\n"
                + "➡️* send me your URL*\n\nCommand: /help shows the menu\naliases: /x\n  ANSWER\n\n"
                + "  <<KEYBOARD\nYes, No\nBack\n  KEYBOARD\n  aliases: /u\n  group: \nCMD*/\nx()");
    assertThat(h.command()).contains("/url");
    assertThat(h.answer()).contains("➡️* send me your URL*\n\nCommand: /help shows the menu\naliases: /x");
    assertThat(h.keyboard()).contains("Yes, No\nBack");
    assertThat(h.aliases()).containsExactly("/u");
    assertThat(h.values()).containsEntry("need_reply", "true").containsKey("group");
    // The empty blocks of most exports are no answer and no keyboard.
    CommandHeader empty =
        CommandHeader.parse("/*CMD\n  command: /a\n\n  <<ANSWER\n\n  ANSWER\n\n  <<KEYBOARD\n\n"
            + "  KEYBOARD\n  aliases: \nCMD*/");
    assertThat(empty.answer()).isEmpty();
    assertThat(empty.keyboard()).isEmpty();
    assertThatThrownBy(() -> CommandHeader.parse("/*CMD\n  <<ANSWER\nhi\nCMD*/"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("answer: <<ANSWER is not ended by ANSWER");
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
