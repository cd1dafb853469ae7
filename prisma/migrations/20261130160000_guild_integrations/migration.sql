-- Notifications belong to a guild, not to the user who ran /setup: one DiscordIntegration per guild, and
-- each user routes to a guild (User.notificationGuildId). Every user who had an integration keeps routing
-- to its guild, so no one's notifications move.

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "notificationGuildId" TEXT;

UPDATE "User" SET "notificationGuildId" = d."guildId" FROM "DiscordIntegration" d WHERE d."userId" = "User"."id";

-- Several users' integrations in one guild become one: the most recently updated is kept, and a channel it
-- lacks is taken from the others (they were adopted by name, so they are usually the same channels).
UPDATE "DiscordIntegration" AS kept SET
  "categoryId" = COALESCE(kept."categoryId", (SELECT o."categoryId" FROM "DiscordIntegration" o WHERE o."guildId" = kept."guildId" AND o."categoryId" IS NOT NULL ORDER BY o."updatedAt" DESC LIMIT 1)),
  "alarmsChannelId" = COALESCE(kept."alarmsChannelId", (SELECT o."alarmsChannelId" FROM "DiscordIntegration" o WHERE o."guildId" = kept."guildId" AND o."alarmsChannelId" IS NOT NULL ORDER BY o."updatedAt" DESC LIMIT 1)),
  "eventsChannelId" = COALESCE(kept."eventsChannelId", (SELECT o."eventsChannelId" FROM "DiscordIntegration" o WHERE o."guildId" = kept."guildId" AND o."eventsChannelId" IS NOT NULL ORDER BY o."updatedAt" DESC LIMIT 1)),
  "teamChatChannelId" = COALESCE(kept."teamChatChannelId", (SELECT o."teamChatChannelId" FROM "DiscordIntegration" o WHERE o."guildId" = kept."guildId" AND o."teamChatChannelId" IS NOT NULL ORDER BY o."updatedAt" DESC LIMIT 1)),
  "devicesChannelId" = COALESCE(kept."devicesChannelId", (SELECT o."devicesChannelId" FROM "DiscordIntegration" o WHERE o."guildId" = kept."guildId" AND o."devicesChannelId" IS NOT NULL ORDER BY o."updatedAt" DESC LIMIT 1)),
  "storageChannelId" = COALESCE(kept."storageChannelId", (SELECT o."storageChannelId" FROM "DiscordIntegration" o WHERE o."guildId" = kept."guildId" AND o."storageChannelId" IS NOT NULL ORDER BY o."updatedAt" DESC LIMIT 1)),
  "shopChannelId" = COALESCE(kept."shopChannelId", (SELECT o."shopChannelId" FROM "DiscordIntegration" o WHERE o."guildId" = kept."guildId" AND o."shopChannelId" IS NOT NULL ORDER BY o."updatedAt" DESC LIMIT 1)),
  "intelChannelId" = COALESCE(kept."intelChannelId", (SELECT o."intelChannelId" FROM "DiscordIntegration" o WHERE o."guildId" = kept."guildId" AND o."intelChannelId" IS NOT NULL ORDER BY o."updatedAt" DESC LIMIT 1)),
  "deathsChannelId" = COALESCE(kept."deathsChannelId", (SELECT o."deathsChannelId" FROM "DiscordIntegration" o WHERE o."guildId" = kept."guildId" AND o."deathsChannelId" IS NOT NULL ORDER BY o."updatedAt" DESC LIMIT 1)),
  "statusChannelId" = COALESCE(kept."statusChannelId", (SELECT o."statusChannelId" FROM "DiscordIntegration" o WHERE o."guildId" = kept."guildId" AND o."statusChannelId" IS NOT NULL ORDER BY o."updatedAt" DESC LIMIT 1))
WHERE NOT EXISTS (
  SELECT 1 FROM "DiscordIntegration" newer WHERE newer."guildId" = kept."guildId"
    AND (newer."updatedAt" > kept."updatedAt" OR (newer."updatedAt" = kept."updatedAt" AND newer."id" > kept."id"))
);

DELETE FROM "DiscordIntegration" AS older USING "DiscordIntegration" newer
WHERE newer."guildId" = older."guildId"
  AND (newer."updatedAt" > older."updatedAt" OR (newer."updatedAt" = older."updatedAt" AND newer."id" > older."id"));

-- DropForeignKey
ALTER TABLE "DiscordIntegration" DROP CONSTRAINT "DiscordIntegration_userId_fkey";

-- DropIndex
DROP INDEX "DiscordIntegration_guildId_idx";

-- DropIndex
DROP INDEX "DiscordIntegration_userId_key";

-- Who ran /setup: their Discord id, taken from the user's Discord account.
-- AlterTable
ALTER TABLE "DiscordIntegration" ADD COLUMN     "setupByDiscordId" TEXT;

UPDATE "DiscordIntegration" SET "setupByDiscordId" = a."providerAccountId" FROM "Account" a WHERE a."userId" = "DiscordIntegration"."userId" AND a."provider" = 'discord';

-- AlterTable
ALTER TABLE "DiscordIntegration" DROP COLUMN "userId";

-- CreateIndex
CREATE UNIQUE INDEX "DiscordIntegration_guildId_key" ON "DiscordIntegration"("guildId");

-- CreateIndex
CREATE INDEX "User_notificationGuildId_idx" ON "User"("notificationGuildId");
