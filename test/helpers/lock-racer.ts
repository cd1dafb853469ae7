// Child process for the lock race: on "take <dir> <epoch ms>" it spins until that instant (so that two racers
// start together), tries to lock <dir> and prints "won" or "lost <error name>"; on "release" it releases what it holds.
import { createInterface } from "node:readline";
import { lockDataDir, type DataDirLock } from "../../src/db/data-dir-lock.ts";

let lock: DataDirLock | undefined;
for await (const line of createInterface({ input: process.stdin })) {
  const [command, dir, at] = line.split(" ");
  if (command === "take" && dir && at) {
    while (Date.now() < Number(at)) {
      // A start line for both racers: a busy wait of a few milliseconds, not a sleep.
    }
    try {
      lock = lockDataDir(dir);
      process.stdout.write("won\n");
    } catch (error) {
      process.stdout.write(`lost ${(error as Error).name}\n`);
    }
  } else if (command === "release") {
    lock?.release();
    lock = undefined;
    process.stdout.write("released\n");
  }
}
