// What `fcm-register` writes (rustplus.config.json), with a Rust+ auth token whose payload names the Steam id
// and the token's dates. The companion tool sends it as an object; /credentials add takes it pasted.
export function fcmConfig(steamId: string, init: { androidId?: string; securityToken?: string; exp?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const payload = Buffer.from(JSON.stringify({ steamId, version: 0, iss: now, exp: init.exp ?? now + 14 * 86_400 })).toString("base64url");
  return {
    fcm_credentials: {
      keys: { privateKey: "x", publicKey: "y", authSecret: "z" },
      fcm: { token: "t", pushSet: "p" },
      gcm: { token: "g", androidId: init.androidId ?? "5551234567890123456", securityToken: init.securityToken ?? "9876543210987654321", appId: "wp:receiver.push.com#1" },
    },
    expo_push_token: "ExponentPushToken[abc]",
    rustplus_auth_token: `${payload}.c2lnbmF0dXJl`,
  };
}

/** A server-pairing push as Rust+ sends it (see research/rustplus.md). */
export function pairingPush(persistentId: string, steamId: string) {
  return {
    persistentId,
    appData: [
      { key: "channelId", value: "pairing" },
      { key: "title", value: "Rustopia EU Main" },
      { key: "message", value: "Tap to pair with this server." },
      { key: "body", value: JSON.stringify({ img: "", port: "28083", ip: "203.0.113.7", name: "Rustopia EU Main", id: "a-uuid", type: "server", url: "", desc: "", playerId: steamId, playerToken: "-1234567890" }) },
    ],
  };
}
