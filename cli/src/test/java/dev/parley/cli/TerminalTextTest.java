package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void aForgedTranscriptWithEscapeSequencesBecomesOneInertLine() {
        String body = "innocent\n[state] CONNECTED\n> me: I owe bob $1000 ✓\n\u001b[2J\u001b[31mRED\u001b[0m";

        String shown = TerminalText.escape(body);

        assertThat(shown).isEqualTo(
                "innocent⏎[state] CONNECTED⏎> me: I owe bob $1000 ✓⏎\\u001B[2J\\u001B[31mRED\\u001B[0m");
        assertThat(shown.chars().noneMatch(c -> TerminalText.isUnsafe((char) c))).isTrue();
    }

    @Test
    void everyControlCharacterIsShownAsItsCodePoint() {
        assertThat(TerminalText.escape("a\rb\tc\u0000d\u007fe\u0085f\u009bg\u0007"))
                .isEqualTo("a\\u000Db\\u0009c\\u0000d\\u007Fe\\u0085f\\u009Bg\\u0007");
    }

    @Test
    void lineSeparatorsAndBidiControlsAreShownAsTheirCodePoints() {
        assertThat(TerminalText.escape("x\u2028y\u2029z")).isEqualTo("x\\u2028y\\u2029z");
        assertThat(TerminalText.escape("\u202a\u202b\u202c\u202d\u202e"))
                .isEqualTo("\\u202A\\u202B\\u202C\\u202D\\u202E");
        assertThat(TerminalText.escape("invoice_\u202Egnp.exe")).isEqualTo("invoice_\\u202Egnp.exe");
        assertThat(TerminalText.escape("\u2066\u2067\u2068\u2069")).isEqualTo("\\u2066\\u2067\\u2068\\u2069");
    }

    @Test
    void ordinaryTextInAnyScriptIsUnchanged() {
        String text = "héllo 你好 مرحبا 👩‍👩‍👧 ✓✓ \\u001b ⏎ tab-free";
        assertThat(TerminalText.escape(text)).isSameAs(text);
        assertThat(TerminalText.escape("")).isEmpty();
    }
}
