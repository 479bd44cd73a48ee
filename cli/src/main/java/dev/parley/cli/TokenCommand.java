package dev.parley.cli;

import dev.parley.server.auth.DevSecret;
import dev.parley.server.auth.TokenIssuer;
import dev.parley.server.auth.UserIds;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley token alice}: prints a dev token signed with the dev secret of a data dir (or got from a server). */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a dev token for a user, signed with the server's dev secret.")
final class TokenCommand implements Callable<Integer> {
    /** The file a dev-mode server keeps its secret in (DevSecret's name for it). */
    static final String SECRET_FILE = "dev-secret";

    @Parameters(index = "0", description = "The user id (the token's sub).")
    String user;
    @Option(names = "--data-dir", defaultValue = "${env:PARLEY_DATA_DIR:-data}",
            description = "The server's data dir, which holds its dev secret (PARLEY_DATA_DIR).")
    Path dataDir;
    @Option(names = "--ttl-minutes", defaultValue = "60", description = "How long the token is valid.")
    long ttlMinutes;
    @Option(names = "--server", description = "Ask this running dev server instead (POST /api/dev/token).")
    String server;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        if (!UserIds.isValid(user)) {
            err.println("parley token: " + UserIdText.invalid(user));
            return 1;
        }
        if (server != null) {
            return fromServer(err);
        }
        // Making a secret here would sign a token that no running server accepts: only the server makes it.
        if (!Files.isRegularFile(dataDir.resolve(SECRET_FILE))) {
            String dir = shown(dataDir);
            err.println("parley token: no dev secret in " + dir + " — start the server with --dev --data-dir " + dir
                    + " first, or use --server URL");
            return 1;
        }
        System.out.println(new TokenIssuer(DevSecret.loadOrCreate(dataDir)).issue(user, Duration.ofMinutes(ttlMinutes)));
        return 0;
    }

    private int fromServer(PrintStream err) {
        try {
            System.out.println(new DevApi(server).devToken(user));
            return 0;
        } catch (DevApi.Refused e) {
            err.println("parley token: " + server + " " + (e.status == 404
                    ? "gives no dev tokens (is it running with --dev?): " : "refused: ")
                    + TerminalText.escape(e.serverMessage));
        } catch (IOException e) {
            err.println("parley token: cannot reach " + server + ": " + TerminalText.escape(e.getMessage()));
        } catch (IllegalArgumentException e) {
            err.println("parley token: " + server + " is not an http:// or https:// address");
        }
        return 1;
    }

    /** A relative dir as the shell user would type it: "./data". */
    private static String shown(Path dir) {
        String text = dir.toString();
        return dir.isAbsolute() || text.startsWith(".") ? text : "./" + text;
    }
}
