-- AlterEnum
ALTER TYPE "MapNoteCategory" ADD VALUE 'CUSTOM';

-- AlterTable
ALTER TABLE "MapNote" ADD COLUMN     "color" TEXT,
ADD COLUMN     "emoji" TEXT;
