-- AlterTable
ALTER TABLE "Purchase" ADD COLUMN     "rejectedReason" TEXT;
