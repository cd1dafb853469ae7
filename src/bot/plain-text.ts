// Names players chose (servers, devices, players a game server lists) shown inside our own bold or code
// formatting: the characters that would break that formatting are dropped. (Notification embeds escape fully
// instead: src/notify/format.ts.) A backslash would escape our closing `**`; bidi overrides and isolates would
// turn the rest of our line around; `[text](url)` would be a masked link, so its `](` gets a space.
export const plain = (text: string): string =>
  text.replace(/[*_`~|>\\\u202A-\u202E\u2066-\u2069]/g, "").replace(/\]\(/g, "] (");
