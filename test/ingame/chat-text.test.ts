// Team chat text rules: one line, 128 UTF-16 units a message, cuts at spaces, never through a surrogate pair.
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/ingame/command-runner.ts";
import { oneLine, packLines, splitForChat } from "../../src/ingame/chat-text.ts";

describe("splitForChat", () => {
  it("keeps a short message whole and flattens it to one line", () => {
    expect(splitForChat("hi\n\tthere  you", { prefix: "Bo: " })).toEqual({ messages: ["Bo: hi there you"], truncated: false });
    expect(oneLine("  \u0007a\u2028b ")).toBe("a b");
  });

  it("cuts at the last space, each part prefixed and at most 128 units", () => {
    const text = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    const { messages } = splitForChat(text, { prefix: "Name: " });
    expect(messages.every((m) => m.length <= 128 && m.startsWith("Name: "))).toBe(true);
    expect(messages.map((m) => m.slice(6)).join(" ")).toBe(text);
  });

  it("cuts a word with no space at the limit, and never through an emoji", () => {
    const { messages } = splitForChat("x".repeat(125) + "😀😀");
    expect(messages[0]).toBe("x".repeat(125) + "😀");
    expect(messages[0]).toHaveLength(127);
    expect(messages[1]).toBe("😀");
    const odd = splitForChat("x".repeat(127) + "😀").messages;
    expect(odd).toEqual(["x".repeat(127), "😀"]);
  });

  it("stops at maxMessages with an ellipsis", () => {
    const { messages, truncated } = splitForChat("ab ".repeat(200), { maxMessages: 2 });
    expect(truncated).toBe(true);
    expect(messages).toHaveLength(2);
    expect(messages[1]!.endsWith("…") && messages[1]!.length <= 128).toBe(true);
  });
});

describe("packLines", () => {
  it("joins short lines and caps the number of messages", () => {
    expect(packLines(["a", "b", ""], 3)).toEqual(["a | b"]);
    const many = packLines(Array.from({ length: 30 }, () => "y".repeat(60)), 2);
    expect(many).toHaveLength(2);
    expect(many[1]!.endsWith("…") && many[1]!.length <= 128).toBe(true);
  });
});

describe("parseCommand", () => {
  it("reads the name and arguments after the prefix", () => {
    expect(parseCommand("!Note  buried loot ", "!")).toEqual({ name: "note", args: "buried loot" });
    expect(parseCommand("..pop", "..")).toEqual({ name: "pop", args: "" });
  });

  it("leaves ordinary chat alone", () => {
    for (const text of ["hello", "!", "! pop", "!!!", "!wow!", "pop!"]) expect(parseCommand(text, "!")).toBeNull();
  });
});
