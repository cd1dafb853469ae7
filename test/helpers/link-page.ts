// A browser on the /link page, played with fetch: open the confirm page (GET), then press its button (POST
// the form with the cookie the page set), without following redirects.
import { expect } from "vitest";

export interface LinkPage {
  status: number;
  html: string;
  headers: Headers;
  /** The Cookie header value for the page's cookies ("" when it set none). */
  cookie: string;
  /** The form's action and hidden fields; undefined when the page has no form. */
  form: { action: string; fields: URLSearchParams } | undefined;
}

const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

export async function openLinkPage(url: string, init: RequestInit = {}): Promise<LinkPage> {
  const res = await fetch(url, { redirect: "manual", ...init });
  const html = await res.text();
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.append(unescape(name!), unescape(value!));
  return { status: res.status, html, headers: res.headers, cookie, form: action === undefined ? undefined : { action: unescape(action), fields } };
}

/** Presses "Continue to Steam": the form's POST, as a browser sends it from the page. */
export async function pressContinue(page: LinkPage, options: { cookie?: string; fields?: URLSearchParams } = {}): Promise<Response> {
  expect(page.form, "the page has a form").toBeDefined();
  return fetch(page.form!.action, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: options.cookie ?? page.cookie },
    body: (options.fields ?? page.form!.fields).toString(),
  });
}

/** The whole first step: the page, then the button. Resolves with the POST's answer (303 to Steam). */
export async function continueToSteam(url: string): Promise<Response> {
  const page = await openLinkPage(url);
  expect(page.status).toBe(200);
  return pressContinue(page);
}
