package dev.parley.cli;

/** The one wording of a bad user id, for every command. */
final class UserIdText {
    static final String RULE = "1..64 characters of A-Z a-z 0-9 . _ @ -";

    private UserIdText() {
    }

    static String invalid(String userId) {
        return "\"" + TerminalText.escape(userId) + "\" is not a valid user id (" + RULE + ")";
    }
}
