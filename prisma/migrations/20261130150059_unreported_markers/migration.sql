-- AlterTable
ALTER TABLE "PairedServer" ADD COLUMN     "unreportedMarkers" TEXT[] DEFAULT ARRAY[]::TEXT[];
