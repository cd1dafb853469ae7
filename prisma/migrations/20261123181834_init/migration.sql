-- CreateEnum
CREATE TYPE "Tier" AS ENUM ('SCOUT', 'OPERATOR', 'OVERLORD');

-- CreateEnum
CREATE TYPE "SubscriptionStatus" AS ENUM ('ACTIVE', 'TRIALING', 'PAST_DUE', 'CANCELED');

-- CreateEnum
CREATE TYPE "OneTimeTokenPurpose" AS ENUM ('LINK_DISCORD', 'LOGIN_STATE', 'OPENID_NONCE');

-- CreateEnum
CREATE TYPE "MapNoteCategory" AS ENUM ('TAG', 'SAM', 'DEATH');

-- CreateEnum
CREATE TYPE "SmartDeviceKind" AS ENUM ('SWITCH', 'ALARM', 'STORAGE_MONITOR', 'CAMERA');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "steamId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "avatarUrl" TEXT,
    "email" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Subscription" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tier" "Tier" NOT NULL DEFAULT 'SCOUT',
    "status" "SubscriptionStatus" NOT NULL,
    "currentPeriodEnd" TIMESTAMP(3),
    "cancelAtPeriodEnd" BOOLEAN NOT NULL DEFAULT false,
    "stripeCustomerId" TEXT NOT NULL,
    "stripeSubscriptionId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BetaTester" (
    "id" TEXT NOT NULL,
    "steamId" TEXT NOT NULL,
    "tier" "Tier" NOT NULL,
    "note" TEXT,
    "addedBy" TEXT,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "revokedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BetaTester_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StripeWebhookEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StripeWebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Credit" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Credit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Purchase" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "stripeId" TEXT NOT NULL,
    "stripeSubscriptionId" TEXT,
    "stripePriceId" TEXT,
    "amountCents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'usd',
    "creditsAdded" INTEGER NOT NULL,
    "packageName" TEXT NOT NULL,
    "refundedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Purchase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OneTimeToken" (
    "id" TEXT NOT NULL,
    "purpose" "OneTimeTokenPurpose" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" JSONB,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OneTimeToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PairedServer" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "serverName" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "playerSteamId" TEXT NOT NULL,
    "playerToken" BYTEA NOT NULL,
    "playerTokenKeyVersion" INTEGER NOT NULL,
    "live" BOOLEAN NOT NULL DEFAULT false,
    "needsRepairSince" TIMESTAMP(3),
    "pairedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3),

    CONSTRAINT "PairedServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FcmCredential" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "blobEncrypted" BYTEA NOT NULL,
    "keyVersion" INTEGER NOT NULL,
    "steamId" TEXT,
    "issuedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "lastPushAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FcmCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DevicePairing" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "tokenHash" TEXT,
    "label" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "activatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DevicePairing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscordIntegration" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "guildName" TEXT NOT NULL,
    "categoryId" TEXT,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "alarmsEnabled" BOOLEAN NOT NULL DEFAULT true,
    "alarmsChannelId" TEXT,
    "eventsEnabled" BOOLEAN NOT NULL DEFAULT true,
    "eventsChannelId" TEXT,
    "teamChatEnabled" BOOLEAN NOT NULL DEFAULT true,
    "teamChatChannelId" TEXT,
    "devicesEnabled" BOOLEAN NOT NULL DEFAULT true,
    "devicesChannelId" TEXT,
    "storageEnabled" BOOLEAN NOT NULL DEFAULT true,
    "storageChannelId" TEXT,
    "shopEnabled" BOOLEAN NOT NULL DEFAULT true,
    "shopChannelId" TEXT,
    "intelEnabled" BOOLEAN NOT NULL DEFAULT true,
    "intelChannelId" TEXT,
    "deathsEnabled" BOOLEAN NOT NULL DEFAULT true,
    "deathsChannelId" TEXT,
    "statusEnabled" BOOLEAN NOT NULL DEFAULT true,
    "statusChannelId" TEXT,

    CONSTRAINT "DiscordIntegration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DashboardGuestAccess" (
    "id" TEXT NOT NULL,
    "ownerUserId" TEXT NOT NULL,
    "pairedServerId" TEXT NOT NULL,
    "guestUserId" TEXT,
    "guestSteamId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "DashboardGuestAccess_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MapNote" (
    "id" TEXT NOT NULL,
    "pairedServerId" TEXT NOT NULL,
    "category" "MapNoteCategory" NOT NULL,
    "x" DOUBLE PRECISION NOT NULL,
    "y" DOUBLE PRECISION NOT NULL,
    "label" TEXT,
    "expiresAt" TIMESTAMP(3),
    "createdByUserId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MapNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SmartDevice" (
    "id" TEXT NOT NULL,
    "pairedServerId" TEXT NOT NULL,
    "kind" "SmartDeviceKind" NOT NULL,
    "entityId" BIGINT,
    "cameraId" TEXT,
    "name" TEXT NOT NULL,
    "isOn" BOOLEAN,
    "contents" JSONB,
    "lastTriggeredAt" TIMESTAMP(3),
    "unreachableSince" TIMESTAMP(3),
    "customCommand" TEXT,
    "messageChannelId" TEXT,
    "messageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SmartDevice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackedShopItem" (
    "id" TEXT NOT NULL,
    "pairedServerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "itemId" INTEGER NOT NULL,
    "currencyItemId" INTEGER,
    "maxPrice" INTEGER,
    "lastNotifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrackedShopItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlayerIntelNote" (
    "id" TEXT NOT NULL,
    "pairedServerId" TEXT NOT NULL,
    "steamId" TEXT,
    "battlemetricsPlayerId" TEXT,
    "playerName" TEXT NOT NULL,
    "note" TEXT,
    "tags" TEXT[],
    "tracked" BOOLEAN NOT NULL DEFAULT false,
    "createdByUserId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PlayerIntelNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlayerSteamLink" (
    "id" TEXT NOT NULL,
    "battlemetricsPlayerId" TEXT NOT NULL,
    "steamId" TEXT NOT NULL,
    "source" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlayerSteamLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Watchlist" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "pairedServerId" TEXT,
    "name" TEXT NOT NULL,
    "filter" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Watchlist_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedConveyorFilter" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "manifest" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SavedConveyorFilter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedGeneBatch" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "clones" TEXT[],
    "weights" JSONB NOT NULL,
    "results" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedGeneBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Item" (
    "id" INTEGER NOT NULL,
    "shortname" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "stackSize" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConveyorShortname" (
    "id" TEXT NOT NULL,
    "shortname" TEXT NOT NULL,
    "itemId" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConveyorShortname_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentStore" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedBy" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContentStore_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AdminAudit" (
    "id" TEXT NOT NULL,
    "actorSteamId" TEXT NOT NULL,
    "actorUserId" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "payload" JSONB,
    "result" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminAudit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BattleMetricsQuota" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BattleMetricsQuota_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_steamId_key" ON "User"("steamId");

-- CreateIndex
CREATE INDEX "User_createdAt_idx" ON "User"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Account_provider_providerAccountId_key" ON "Account"("provider", "providerAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Account_userId_provider_key" ON "Account"("userId", "provider");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_userId_key" ON "Subscription"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_stripeCustomerId_key" ON "Subscription"("stripeCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_stripeSubscriptionId_key" ON "Subscription"("stripeSubscriptionId");

-- CreateIndex
CREATE UNIQUE INDEX "BetaTester_steamId_key" ON "BetaTester"("steamId");

-- CreateIndex
CREATE UNIQUE INDEX "Credit_userId_key" ON "Credit"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Purchase_stripeId_key" ON "Purchase"("stripeId");

-- CreateIndex
CREATE INDEX "Purchase_createdAt_idx" ON "Purchase"("createdAt");

-- CreateIndex
CREATE INDEX "Purchase_userId_createdAt_idx" ON "Purchase"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OneTimeToken_tokenHash_key" ON "OneTimeToken"("tokenHash");

-- CreateIndex
CREATE INDEX "OneTimeToken_expiresAt_idx" ON "OneTimeToken"("expiresAt");

-- CreateIndex
CREATE INDEX "OneTimeToken_purpose_subject_idx" ON "OneTimeToken"("purpose", "subject");

-- CreateIndex
CREATE INDEX "PairedServer_live_idx" ON "PairedServer"("live");

-- CreateIndex
CREATE UNIQUE INDEX "PairedServer_userId_ip_port_key" ON "PairedServer"("userId", "ip", "port");

-- CreateIndex
CREATE UNIQUE INDEX "FcmCredential_userId_key" ON "FcmCredential"("userId");

-- CreateIndex
CREATE INDEX "FcmCredential_expiresAt_idx" ON "FcmCredential"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "DevicePairing_codeHash_key" ON "DevicePairing"("codeHash");

-- CreateIndex
CREATE UNIQUE INDEX "DevicePairing_tokenHash_key" ON "DevicePairing"("tokenHash");

-- CreateIndex
CREATE INDEX "DevicePairing_userId_idx" ON "DevicePairing"("userId");

-- CreateIndex
CREATE INDEX "DevicePairing_expiresAt_idx" ON "DevicePairing"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "DiscordIntegration_userId_key" ON "DiscordIntegration"("userId");

-- CreateIndex
CREATE INDEX "DiscordIntegration_guildId_idx" ON "DiscordIntegration"("guildId");

-- CreateIndex
CREATE INDEX "DashboardGuestAccess_guestSteamId_idx" ON "DashboardGuestAccess"("guestSteamId");

-- CreateIndex
CREATE INDEX "DashboardGuestAccess_guestUserId_idx" ON "DashboardGuestAccess"("guestUserId");

-- CreateIndex
CREATE UNIQUE INDEX "DashboardGuestAccess_pairedServerId_guestSteamId_key" ON "DashboardGuestAccess"("pairedServerId", "guestSteamId");

-- CreateIndex
CREATE INDEX "MapNote_pairedServerId_category_idx" ON "MapNote"("pairedServerId", "category");

-- CreateIndex
CREATE INDEX "MapNote_expiresAt_idx" ON "MapNote"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "SmartDevice_pairedServerId_entityId_key" ON "SmartDevice"("pairedServerId", "entityId");

-- CreateIndex
CREATE UNIQUE INDEX "SmartDevice_pairedServerId_cameraId_key" ON "SmartDevice"("pairedServerId", "cameraId");

-- CreateIndex
CREATE UNIQUE INDEX "SmartDevice_pairedServerId_customCommand_key" ON "SmartDevice"("pairedServerId", "customCommand");

-- CreateIndex
CREATE INDEX "TrackedShopItem_userId_idx" ON "TrackedShopItem"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "TrackedShopItem_pairedServerId_userId_itemId_key" ON "TrackedShopItem"("pairedServerId", "userId", "itemId");

-- CreateIndex
CREATE INDEX "PlayerIntelNote_pairedServerId_tracked_idx" ON "PlayerIntelNote"("pairedServerId", "tracked");

-- CreateIndex
CREATE UNIQUE INDEX "PlayerIntelNote_pairedServerId_steamId_key" ON "PlayerIntelNote"("pairedServerId", "steamId");

-- CreateIndex
CREATE UNIQUE INDEX "PlayerIntelNote_pairedServerId_battlemetricsPlayerId_key" ON "PlayerIntelNote"("pairedServerId", "battlemetricsPlayerId");

-- CreateIndex
CREATE UNIQUE INDEX "PlayerSteamLink_battlemetricsPlayerId_key" ON "PlayerSteamLink"("battlemetricsPlayerId");

-- CreateIndex
CREATE INDEX "PlayerSteamLink_steamId_idx" ON "PlayerSteamLink"("steamId");

-- CreateIndex
CREATE UNIQUE INDEX "Watchlist_userId_name_key" ON "Watchlist"("userId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "SavedConveyorFilter_userId_name_key" ON "SavedConveyorFilter"("userId", "name");

-- CreateIndex
CREATE INDEX "SavedGeneBatch_userId_createdAt_idx" ON "SavedGeneBatch"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Item_shortname_key" ON "Item"("shortname");

-- CreateIndex
CREATE INDEX "Item_name_idx" ON "Item"("name");

-- CreateIndex
CREATE INDEX "Item_category_idx" ON "Item"("category");

-- CreateIndex
CREATE UNIQUE INDEX "ConveyorShortname_shortname_key" ON "ConveyorShortname"("shortname");

-- CreateIndex
CREATE INDEX "ConveyorShortname_itemId_idx" ON "ConveyorShortname"("itemId");

-- CreateIndex
CREATE INDEX "AdminAudit_createdAt_idx" ON "AdminAudit"("createdAt");

-- CreateIndex
CREATE INDEX "AdminAudit_actorSteamId_createdAt_idx" ON "AdminAudit"("actorSteamId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "BattleMetricsQuota_userId_day_key" ON "BattleMetricsQuota"("userId", "day");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Credit" ADD CONSTRAINT "Credit_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Purchase" ADD CONSTRAINT "Purchase_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PairedServer" ADD CONSTRAINT "PairedServer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FcmCredential" ADD CONSTRAINT "FcmCredential_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DevicePairing" ADD CONSTRAINT "DevicePairing_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscordIntegration" ADD CONSTRAINT "DiscordIntegration_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DashboardGuestAccess" ADD CONSTRAINT "DashboardGuestAccess_ownerUserId_fkey" FOREIGN KEY ("ownerUserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DashboardGuestAccess" ADD CONSTRAINT "DashboardGuestAccess_guestUserId_fkey" FOREIGN KEY ("guestUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DashboardGuestAccess" ADD CONSTRAINT "DashboardGuestAccess_pairedServerId_fkey" FOREIGN KEY ("pairedServerId") REFERENCES "PairedServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MapNote" ADD CONSTRAINT "MapNote_pairedServerId_fkey" FOREIGN KEY ("pairedServerId") REFERENCES "PairedServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SmartDevice" ADD CONSTRAINT "SmartDevice_pairedServerId_fkey" FOREIGN KEY ("pairedServerId") REFERENCES "PairedServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackedShopItem" ADD CONSTRAINT "TrackedShopItem_pairedServerId_fkey" FOREIGN KEY ("pairedServerId") REFERENCES "PairedServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackedShopItem" ADD CONSTRAINT "TrackedShopItem_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlayerIntelNote" ADD CONSTRAINT "PlayerIntelNote_pairedServerId_fkey" FOREIGN KEY ("pairedServerId") REFERENCES "PairedServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Watchlist" ADD CONSTRAINT "Watchlist_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Watchlist" ADD CONSTRAINT "Watchlist_pairedServerId_fkey" FOREIGN KEY ("pairedServerId") REFERENCES "PairedServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedConveyorFilter" ADD CONSTRAINT "SavedConveyorFilter_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedGeneBatch" ADD CONSTRAINT "SavedGeneBatch_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConveyorShortname" ADD CONSTRAINT "ConveyorShortname_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdminAudit" ADD CONSTRAINT "AdminAudit_actorUserId_fkey" FOREIGN KEY ("actorUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BattleMetricsQuota" ADD CONSTRAINT "BattleMetricsQuota_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
