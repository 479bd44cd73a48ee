package dev.parley.bench.target;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server that is already running ({@code --url}). Tokens are minted from its secret when given one, else
 * asked from its dev endpoint. It cannot be restarted from here: the storm cuts every connection instead.
 */
public final class RemoteTarget implements Target {
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final URI http;
    private final TokenMinter minter;
    private final long pid;
    private final HttpSetup setup;

    public RemoteTarget(URI http, TokenMinter minter, long pid) {
        String base = http.toString().replaceAll("/+$", "");
        this.http = URI.create(base);
        this.minter = minter;
        this.pid = pid;
        this.setup = new HttpSetup(this.http, 1);
    }

    @Override
    public URI wsUri() {
        String scheme = "https".equals(http.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + "://" + http.getHost() + ":" + port() + "/ws");
    }

    private int port() {
        return http.getPort() > 0 ? http.getPort() : "https".equals(http.getScheme()) ? 443 : 80;
    }

    @Override
    public URI httpUri() {
        return http;
    }

    @Override
    public String token(String userId) {
        if (minter != null) {
            return minter.mint(userId);
        }
        String body = setup.postJson("/api/dev/token", null, "{\"user_id\":\"" + userId + "\"}");
        Matcher m = TOKEN.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no token in " + body + " (is the server in dev mode? else pass --jwt-secret)");
        }
        return m.group(1);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean canRestart() {
        return false;
    }

    @Override
    public void restart() {
        throw new UnsupportedOperationException("a server given by --url cannot be restarted by the bench");
    }

    @Override
    public String describe() {
        return "running server at " + http + (pid > 0 ? " (pid " + pid + ")" : "");
    }

    @Override
    public void close() {
    }
}
