// The HTML pages of the link flow: plain, escaped, no script. The confirm page carries its own
// Content-Security-Policy: it shows a Discord avatar and posts a form that is answered by a redirect to
// Steam, and Chromium checks form-action against the redirect's target too, so Steam's origin is listed.
import type { Response } from "express";
import { avatarUrl, DISCORD_CDN, profileName, type LinkProfile } from "../identity/link-profile.ts";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const STYLE = "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;line-height:1.5}" +
  ".who{display:flex;align-items:center;gap:1rem;font-size:1.2rem}.who img{border-radius:50%}button{font-size:1.1rem;padding:.6rem 1.2rem}";

function document(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
  );
}

/** A page with one message. */
export function page(res: Response, status: number, title: string, message: string): void {
  res.status(status).type("html").send(document(title, `<p>${escapeHtml(message)}</p>`));
}

export interface ConfirmPage {
  discordUserId: string;
  /** Null for a link made before profiles were stored: the page names the account by id. */
  profile: LinkProfile | null;
  /** Where the form posts (absolute, under PUBLIC_BASE_URL). */
  action: string;
  /** Hidden fields: the link token and the CSRF value matching the cookie. */
  fields: Record<string, string>;
  /** Origins the form's POST may lead to (its own, then Steam's, Discord's). */
  formOrigins: string[];
  /** Discord OAuth2 is on: the browser signs in to Discord as this account before Steam. */
  viaDiscord: boolean;
}

/** The page before the Steam redirect: whose Discord account this link is for, and a button to go on. */
export function confirmPage(res: Response, input: ConfirmPage): void {
  const name = input.profile ? profileName(input.profile) : `Discord account ${input.discordUserId}`;
  const avatar = avatarUrl(input.discordUserId, input.profile?.avatar ?? null);
  const hidden = Object.entries(input.fields)
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
    .join("");
  const body =
    `<p>This link was made in Discord by this account:</p>` +
    `<p class="who"><img src="${escapeHtml(avatar)}" width="64" height="64" alt=""><strong>${escapeHtml(name)}</strong></p>` +
    `<p>Signing in with Steam next links your Steam account to this Discord account: whoever holds it can then use your ` +
    `servers, devices, credentials, subscription and credits through the bot.</p>` +
    (input.viaDiscord ? `<p>You will first be asked to sign in to Discord as this account.</p>` : "") +
    `<form method="post" action="${escapeHtml(input.action)}">${hidden}<button type="submit">Continue to Steam as ${escapeHtml(name)}</button></form>` +
    `<p><strong>This is not me.</strong> If this is not your Discord account, close this page: nothing has been linked. ` +
    `Someone may have sent you their link to take over your Steam account.</p>`;
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'none'",
      "style-src 'unsafe-inline'",
      `img-src ${DISCORD_CDN}`,
      `form-action 'self' ${[...new Set(input.formOrigins)].join(" ")}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join("; "),
  );
  res.status(200).type("html").send(document("Link your Steam account", body));
}
