-- AlterTable
ALTER TABLE "PairedServer" ADD COLUMN     "alarmRoleId" TEXT;

-- AlterTable
ALTER TABLE "SmartDevice" ADD COLUMN     "mentionRoleId" TEXT;
