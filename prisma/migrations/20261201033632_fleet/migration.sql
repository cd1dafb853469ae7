-- AlterTable
ALTER TABLE "PairedServer" ADD COLUMN     "slotWaitSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "FleetLease" (
    "key" TEXT NOT NULL,
    "holder" TEXT,
    "fence" BIGINT NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acquiredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rustServer" TEXT,
    "egressAddress" TEXT,

    CONSTRAINT "FleetLease_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "FleetProcess" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "addresses" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "shards" INTEGER[] DEFAULT ARRAY[]::INTEGER[],

    CONSTRAINT "FleetProcess_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RustServerLimit" (
    "ip" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "connectionsPerAddress" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RustServerLimit_pkey" PRIMARY KEY ("ip","port")
);

-- CreateIndex
CREATE INDEX "FleetLease_rustServer_egressAddress_idx" ON "FleetLease"("rustServer", "egressAddress");

-- CreateIndex
CREATE INDEX "FleetLease_holder_idx" ON "FleetLease"("holder");

-- CreateIndex
CREATE INDEX "FleetProcess_heartbeatAt_idx" ON "FleetProcess"("heartbeatAt");
