-- DropIndex
DROP INDEX "Evaluation_predictionSetId_compatKey_evaluatorVersion_key";

-- AlterTable
ALTER TABLE "Evaluation" ADD COLUMN     "gtVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "gtRevision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Split" ADD COLUMN     "gtVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "GtRevision" (
    "id" SERIAL NOT NULL,
    "imageId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "splitVersion" INTEGER NOT NULL,
    "authorId" INTEGER,
    "authorName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT,
    "objects" JSONB NOT NULL,
    "relationships" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GtRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TripletReview" (
    "id" SERIAL NOT NULL,
    "imageId" INTEGER NOT NULL,
    "revisionNumber" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "predicate" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "predictionSetId" INTEGER,
    "authorId" INTEGER,
    "authorName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TripletReview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GtRevision_imageId_splitVersion_idx" ON "GtRevision"("imageId", "splitVersion");

-- CreateIndex
CREATE UNIQUE INDEX "GtRevision_imageId_number_key" ON "GtRevision"("imageId", "number");

-- CreateIndex
CREATE INDEX "TripletReview_imageId_idx" ON "TripletReview"("imageId");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_predictionSetId_compatKey_evaluatorVersion_gtVer_key" ON "Evaluation"("predictionSetId", "compatKey", "evaluatorVersion", "gtVersion");

-- AddForeignKey
ALTER TABLE "GtRevision" ADD CONSTRAINT "GtRevision_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GtRevision" ADD CONSTRAINT "GtRevision_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TripletReview" ADD CONSTRAINT "TripletReview_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TripletReview" ADD CONSTRAINT "TripletReview_predictionSetId_fkey" FOREIGN KEY ("predictionSetId") REFERENCES "PredictionSet"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TripletReview" ADD CONSTRAINT "TripletReview_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
