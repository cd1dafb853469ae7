-- AlterTable
ALTER TABLE "PairedServer" ADD COLUMN     "mutedMapEvents" TEXT[] DEFAULT ARRAY[]::TEXT[];
