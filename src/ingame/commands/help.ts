// !help: every command this server answers, with the server's prefix.
import type { InGameCommand } from "../registry.ts";

export const help: InGameCommand = {
  name: "help",
  aliases: ["commands"],
  summary: "this list",
  run(ctx) {
    const p = ctx.server.prefix;
    const names = ctx.registry.list().map((c) => `${p}${c.name}${c.usage ? ` ${c.usage}` : ""}`);
    return Promise.resolve([`Commands: ${names.join(" ")}`]);
  },
};
