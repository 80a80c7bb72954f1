// A real OpenID Connect provider for the single sign-on tests: panva's oidc-provider with its
// development sign-in pages, one client, and the accounts the test passes in.
// Usage: node provider.mjs CONFIG_JSON
//   {"port": 0, "client_id": "...", "client_secret": "...", "redirect_uri": "...",
//    "accounts": {"<sub>": {"email": "...", "email_verified": true, "name": "..."}}}
// Prints "listening <issuer>" once it accepts connections; stops when stdin closes.
import http from "node:http";
import Provider from "oidc-provider";

const config = JSON.parse(process.argv[2]);
const server = http.createServer();
await new Promise((resolve) => server.listen(config.port, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: [config.redirect_uri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(ctx, sub) {
    const account = config.accounts[sub];
    if (!account) return undefined;
    return { accountId: sub, async claims() { return { sub, ...account }; } };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["destalin-tests-only"] },
});
// The tests run over plain http on this machine only.
provider.proxy = false;

server.on("request", provider.callback());
console.log(`listening ${issuer}`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
