package dev.parley.cli;

/**
 * Text from the network made safe to print on a terminal. A message body or a user id could otherwise carry
 * escape sequences (clear the screen, recolour, move the cursor), line breaks that forge transcript lines, or
 * bidi overrides that make text read differently from what it is. Every such character is shown, not obeyed.
 */
final class TerminalText {
    /** Shown for a line feed, so a multi-line body stays one transcript line and still reads as one. */
    static final char NEWLINE_MARK = '⏎';

    private TerminalText() {
    }

    /**
     * {@code text} with a line feed as {@value #NEWLINE_MARK} and every other unsafe character as {@code \}{@code uXXXX};
     * everything else, emoji and other scripts included, unchanged.
     */
    static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isUnsafe(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (c == '\n') {
                out.append(NEWLINE_MARK);
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * C0 controls (tab and line feed included), DEL, C1 controls (U+009B is a one-byte CSI on some terminals),
     * the line and paragraph separators, and the bidi embeddings, overrides and isolates.
     */
    static boolean isUnsafe(char c) {
        return c < 0x20
                || (c >= 0x7F && c <= 0x9F)
                || c == 0x2028 || c == 0x2029
                || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }
}
