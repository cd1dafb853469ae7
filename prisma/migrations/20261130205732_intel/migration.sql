-- AlterTable
ALTER TABLE "PlayerIntelNote" ADD COLUMN     "knownNames" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "timeZone" TEXT;

-- CreateTable
CREATE TABLE "CreditLedger" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,
    "balance" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "reference" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditLedger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntelServer" (
    "id" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "appPort" INTEGER NOT NULL,
    "queryPort" INTEGER,
    "queryPortManual" BOOLEAN NOT NULL DEFAULT false,
    "name" TEXT,
    "players" INTEGER,
    "maxPlayers" INTEGER,
    "queuedPlayers" INTEGER,
    "wipeAt" TIMESTAMP(3),
    "streamerMode" BOOLEAN NOT NULL DEFAULT false,
    "lastPolledAt" TIMESTAMP(3),
    "lastAnsweredAt" TIMESTAMP(3),
    "unreachableSince" TIMESTAMP(3),
    "battlemetricsServerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IntelServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlayerSession" (
    "id" TEXT NOT NULL,
    "intelServerId" TEXT NOT NULL,
    "playerName" TEXT NOT NULL,
    "steamId" TEXT,
    "battlemetricsPlayerId" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "PlayerSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrationState" (
    "id" TEXT NOT NULL,
    "disabledAt" TIMESTAMP(3),
    "disabledReason" TEXT,
    "nextCheckAt" TIMESTAMP(3),
    "operatorToldAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IntegrationState_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CreditLedger_userId_createdAt_idx" ON "CreditLedger"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "IntelServer_ip_appPort_key" ON "IntelServer"("ip", "appPort");

-- CreateIndex
CREATE INDEX "PlayerSession_intelServerId_playerName_idx" ON "PlayerSession"("intelServerId", "playerName");

-- CreateIndex
CREATE INDEX "PlayerSession_intelServerId_endedAt_idx" ON "PlayerSession"("intelServerId", "endedAt");

-- CreateIndex
CREATE INDEX "PlayerSession_intelServerId_steamId_idx" ON "PlayerSession"("intelServerId", "steamId");

-- CreateIndex
CREATE INDEX "PlayerSession_endedAt_idx" ON "PlayerSession"("endedAt");

-- CreateIndex
CREATE INDEX "PlayerIntelNote_pairedServerId_playerName_idx" ON "PlayerIntelNote"("pairedServerId", "playerName");

-- AddForeignKey
ALTER TABLE "CreditLedger" ADD CONSTRAINT "CreditLedger_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlayerSession" ADD CONSTRAINT "PlayerSession_intelServerId_fkey" FOREIGN KEY ("intelServerId") REFERENCES "IntelServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
