/*
  Warnings:

  - You are about to drop the column `maxPrice` on the `TrackedShopItem` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "SmartDevice" ADD COLUMN     "vendingMarkerId" INTEGER;

-- AlterTable
ALTER TABLE "TrackedShopItem" DROP COLUMN "maxPrice",
ADD COLUMN     "maxUnitPriceMilli" INTEGER;

-- CreateTable
CREATE TABLE "ShopMarket" (
    "pairedServerId" TEXT NOT NULL,
    "machines" JSONB NOT NULL,
    "observedAt" TIMESTAMP(3) NOT NULL,
    "reported" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopMarket_pkey" PRIMARY KEY ("pairedServerId")
);

-- CreateTable
CREATE TABLE "ShopPriceHour" (
    "pairedServerId" TEXT NOT NULL,
    "itemId" INTEGER NOT NULL,
    "currencyId" INTEGER NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "wipeAt" TIMESTAMP(3) NOT NULL,
    "cost" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "ShopPriceHour_pkey" PRIMARY KEY ("pairedServerId","itemId","currencyId","hour")
);

-- CreateTable
CREATE TABLE "ShopSale" (
    "id" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "itemId" INTEGER NOT NULL,
    "itemIsBlueprint" BOOLEAN NOT NULL DEFAULT false,
    "quantity" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShopSale_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ShopPriceHour_pairedServerId_wipeAt_idx" ON "ShopPriceHour"("pairedServerId", "wipeAt");

-- CreateIndex
CREATE INDEX "ShopSale_deviceId_at_idx" ON "ShopSale"("deviceId", "at");

-- CreateIndex
CREATE INDEX "TrackedShopItem_pairedServerId_idx" ON "TrackedShopItem"("pairedServerId");

-- AddForeignKey
ALTER TABLE "ShopMarket" ADD CONSTRAINT "ShopMarket_pairedServerId_fkey" FOREIGN KEY ("pairedServerId") REFERENCES "PairedServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopPriceHour" ADD CONSTRAINT "ShopPriceHour_pairedServerId_fkey" FOREIGN KEY ("pairedServerId") REFERENCES "PairedServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopSale" ADD CONSTRAINT "ShopSale_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "SmartDevice"("id") ON DELETE CASCADE ON UPDATE CASCADE;
