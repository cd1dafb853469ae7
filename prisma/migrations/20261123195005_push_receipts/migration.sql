-- CreateTable
CREATE TABLE "PushReceipt" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "persistentId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PushReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PushReceipt_receivedAt_idx" ON "PushReceipt"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PushReceipt_userId_persistentId_key" ON "PushReceipt"("userId", "persistentId");

-- AddForeignKey
ALTER TABLE "PushReceipt" ADD CONSTRAINT "PushReceipt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
