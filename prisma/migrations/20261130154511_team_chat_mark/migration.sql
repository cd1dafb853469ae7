-- AlterTable
ALTER TABLE "PairedServer" ADD COLUMN     "teamChatMarkLines" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "teamChatMarkTime" BIGINT;
