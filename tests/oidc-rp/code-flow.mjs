// A relying party built with openid-client (the library apps really use), run by
// OpenIdConnectClientTests against Préau on Kestrel. Prints one JSON line with what it saw.
// Env: PREAU_ISSUER, PREAU_CLIENT_ID, PREAU_REDIRECT, PREAU_COOKIE (the pupil's signed-in session),
// PREAU_OPENID_CLIENT (the folder openid-client is installed in).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.PREAU_OPENID_CLIENT, 'package.json'));
const client = await import(require.resolve('openid-client'));
const { PREAU_ISSUER: issuer, PREAU_CLIENT_ID: clientId, PREAU_REDIRECT: redirect, PREAU_COOKIE: cookie } = process.env;

// plain HTTP is for this loopback test only
const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(),
  { execute: [client.allowInsecureRequests] });

// the pupil's browser: Préau answers the authorization request with a redirect to the app
async function authorize(redirectUri) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), verifier, state };
}

const result = {};
const ok = await authorize(redirect);
result.authorizeStatus = ok.status;
const callback = new URL(ok.location);
const tokens = await client.authorizationCodeGrant(config, callback,
  { pkceCodeVerifier: ok.verifier, expectedState: ok.state });
result.idToken = tokens.claims();
result.userInfo = await client.fetchUserInfo(config, tokens.access_token, result.idToken.sub);

try {
  await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: ok.verifier, expectedState: ok.state });
  result.replay = 'accepted';
} catch (e) {
  result.replay = e.error ?? e.code ?? String(e);
}

const wrong = await authorize(redirect + '/ailleurs');
result.wrongRedirect = { status: wrong.status, location: wrong.location };
console.log(JSON.stringify(result));
