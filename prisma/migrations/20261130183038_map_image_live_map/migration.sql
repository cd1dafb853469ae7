-- CreateTable
CREATE TABLE "MapImage" (
    "pairedServerId" TEXT NOT NULL,
    "wipeKey" TEXT NOT NULL,
    "mapSize" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "oceanMargin" INTEGER NOT NULL,
    "image" BYTEA NOT NULL,
    "monuments" JSONB NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MapImage_pkey" PRIMARY KEY ("pairedServerId")
);

-- CreateTable
CREATE TABLE "LiveMap" (
    "pairedServerId" TEXT NOT NULL,
    "shownHash" TEXT,
    "editedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LiveMap_pkey" PRIMARY KEY ("pairedServerId")
);

-- AddForeignKey
ALTER TABLE "MapImage" ADD CONSTRAINT "MapImage_pairedServerId_fkey" FOREIGN KEY ("pairedServerId") REFERENCES "PairedServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiveMap" ADD CONSTRAINT "LiveMap_pairedServerId_fkey" FOREIGN KEY ("pairedServerId") REFERENCES "PairedServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
