-- AlterEnum
ALTER TYPE "OneTimeTokenPurpose" ADD VALUE 'LINK_CONFIRM';
