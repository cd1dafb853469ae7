// Names players chose (servers, devices) shown inside our own bold or code formatting: the characters that
// would break that formatting are dropped. (Notification embeds escape fully instead: src/notify/format.ts.)
export const plain = (text: string): string => text.replace(/[*_`~|>]/g, "");
