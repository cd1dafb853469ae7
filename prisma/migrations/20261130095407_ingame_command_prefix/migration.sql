-- AlterTable
ALTER TABLE "PairedServer" ADD COLUMN     "commandPrefix" TEXT NOT NULL DEFAULT '!';
