package dev.parley.cli;

import dev.parley.server.auth.DevSecret;
import dev.parley.server.auth.TokenIssuer;
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
    public Integer call() throws Exception {
        String token = server != null
                ? new DevApi(server).devToken(user)
                : new TokenIssuer(DevSecret.loadOrCreate(dataDir)).issue(user, Duration.ofMinutes(ttlMinutes));
        System.out.println(token);
        return 0;
    }
}
