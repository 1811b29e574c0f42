-- CreateEnum
CREATE TYPE "DatasetType" AS ENUM ('vg', 'psg');

-- CreateEnum
CREATE TYPE "SplitStatus" AS ENUM ('ingesting', 'ready', 'failed');

-- CreateTable
CREATE TABLE "Dataset" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "datasetType" "DatasetType" NOT NULL,
    "source" TEXT NOT NULL,
    "attribution" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Split" (
    "id" SERIAL NOT NULL,
    "datasetId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "status" "SplitStatus" NOT NULL DEFAULT 'ingesting',
    "fingerprint" TEXT NOT NULL,
    "imageCount" INTEGER NOT NULL DEFAULT 0,
    "objectCount" INTEGER NOT NULL DEFAULT 0,
    "relationCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Split_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Image" (
    "id" SERIAL NOT NULL,
    "splitId" INTEGER NOT NULL,
    "imageKey" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "storageKey" TEXT,
    "objectCount" INTEGER NOT NULL,
    "relationCount" INTEGER NOT NULL,

    CONSTRAINT "Image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GtObject" (
    "id" SERIAL NOT NULL,
    "imageId" INTEGER NOT NULL,
    "splitId" INTEGER NOT NULL,
    "idx" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "classId" INTEGER NOT NULL,
    "x1" DOUBLE PRECISION NOT NULL,
    "y1" DOUBLE PRECISION NOT NULL,
    "x2" DOUBLE PRECISION NOT NULL,
    "y2" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "GtObject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GtRelation" (
    "id" SERIAL NOT NULL,
    "imageId" INTEGER NOT NULL,
    "splitId" INTEGER NOT NULL,
    "idx" INTEGER NOT NULL,
    "subjectIdx" INTEGER NOT NULL,
    "objectIdx" INTEGER NOT NULL,
    "predicate" TEXT NOT NULL,
    "predicateId" INTEGER NOT NULL,

    CONSTRAINT "GtRelation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Model" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Checkpoint" (
    "id" SERIAL NOT NULL,
    "modelId" INTEGER NOT NULL,
    "runId" INTEGER,
    "step" INTEGER,
    "path" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Checkpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PredictionSet" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "splitId" INTEGER NOT NULL,
    "checkpointId" INTEGER,
    "origin" TEXT NOT NULL,
    "sourcePath" TEXT NOT NULL DEFAULT '',
    "settings" JSONB NOT NULL DEFAULT '{}',
    "count" INTEGER NOT NULL DEFAULT 0,
    "failedCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PredictionSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" SERIAL NOT NULL,
    "predictionSetId" INTEGER NOT NULL,
    "imageId" INTEGER NOT NULL,
    "response" TEXT NOT NULL,
    "boxScaleX" DOUBLE PRECISION NOT NULL DEFAULT 1000,
    "boxScaleY" DOUBLE PRECISION NOT NULL DEFAULT 1000,
    "parseOk" BOOLEAN NOT NULL,
    "failureKind" TEXT,
    "failureMessage" TEXT,
    "parsed" JSONB,

    CONSTRAINT "Prediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" SERIAL NOT NULL,
    "predictionSetId" INTEGER NOT NULL,
    "datasetType" "DatasetType" NOT NULL,
    "compatKey" TEXT NOT NULL,
    "compat" TEXT[],
    "evaluatorVersion" TEXT NOT NULL,
    "protocol" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationImage" (
    "evaluationId" INTEGER NOT NULL,
    "imageId" INTEGER NOT NULL,
    "predicted" BOOLEAN NOT NULL,
    "failed" BOOLEAN NOT NULL,
    "failureKind" TEXT,
    "keptObjects" INTEGER NOT NULL,
    "keptRelations" INTEGER NOT NULL,
    "gtRelations" INTEGER NOT NULL,
    "ngrHits" INTEGER NOT NULL,
    "ngrRecall" DOUBLE PRECISION,
    "r20" DOUBLE PRECISION,
    "r50" DOUBLE PRECISION,
    "r100" DOUBLE PRECISION,
    "tripletHits" BOOLEAN[],

    CONSTRAINT "EvaluationImage_pkey" PRIMARY KEY ("evaluationId","imageId")
);

-- CreateTable
CREATE TABLE "PredicateMetric" (
    "evaluationId" INTEGER NOT NULL,
    "predicateId" INTEGER NOT NULL,
    "predicate" TEXT NOT NULL,
    "gtCount" INTEGER NOT NULL,
    "ngrHits" INTEGER NOT NULL,
    "ngrRecall" DOUBLE PRECISION,
    "ngrRecallPerImage" DOUBLE PRECISION,
    "mR20" DOUBLE PRECISION NOT NULL,
    "mR50" DOUBLE PRECISION NOT NULL,
    "mR100" DOUBLE PRECISION NOT NULL,
    "ngmR100" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "PredicateMetric_pkey" PRIMARY KEY ("evaluationId","predicateId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_name_key" ON "Dataset"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Split_datasetId_name_key" ON "Split"("datasetId", "name");

-- CreateIndex
CREATE INDEX "Image_splitId_id_idx" ON "Image"("splitId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Image_splitId_imageKey_key" ON "Image"("splitId", "imageKey");

-- CreateIndex
CREATE INDEX "GtObject_imageId_idx_idx" ON "GtObject"("imageId", "idx");

-- CreateIndex
CREATE INDEX "GtObject_splitId_classId_imageId_idx" ON "GtObject"("splitId", "classId", "imageId");

-- CreateIndex
CREATE INDEX "GtRelation_imageId_idx_idx" ON "GtRelation"("imageId", "idx");

-- CreateIndex
CREATE INDEX "GtRelation_splitId_predicateId_imageId_idx" ON "GtRelation"("splitId", "predicateId", "imageId");

-- CreateIndex
CREATE UNIQUE INDEX "Model_name_key" ON "Model"("name");

-- CreateIndex
CREATE UNIQUE INDEX "PredictionSet_splitId_name_key" ON "PredictionSet"("splitId", "name");

-- CreateIndex
CREATE INDEX "Prediction_predictionSetId_failureKind_idx" ON "Prediction"("predictionSetId", "failureKind");

-- CreateIndex
CREATE UNIQUE INDEX "Prediction_predictionSetId_imageId_key" ON "Prediction"("predictionSetId", "imageId");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_predictionSetId_compatKey_evaluatorVersion_key" ON "Evaluation"("predictionSetId", "compatKey", "evaluatorVersion");

-- CreateIndex
CREATE INDEX "EvaluationImage_evaluationId_ngrRecall_idx" ON "EvaluationImage"("evaluationId", "ngrRecall");

-- CreateIndex
CREATE INDEX "EvaluationImage_evaluationId_failed_idx" ON "EvaluationImage"("evaluationId", "failed");

-- AddForeignKey
ALTER TABLE "Split" ADD CONSTRAINT "Split_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_splitId_fkey" FOREIGN KEY ("splitId") REFERENCES "Split"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GtObject" ADD CONSTRAINT "GtObject_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GtRelation" ADD CONSTRAINT "GtRelation_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checkpoint" ADD CONSTRAINT "Checkpoint_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PredictionSet" ADD CONSTRAINT "PredictionSet_splitId_fkey" FOREIGN KEY ("splitId") REFERENCES "Split"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PredictionSet" ADD CONSTRAINT "PredictionSet_checkpointId_fkey" FOREIGN KEY ("checkpointId") REFERENCES "Checkpoint"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_predictionSetId_fkey" FOREIGN KEY ("predictionSetId") REFERENCES "PredictionSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_predictionSetId_fkey" FOREIGN KEY ("predictionSetId") REFERENCES "PredictionSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationImage" ADD CONSTRAINT "EvaluationImage_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "Evaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationImage" ADD CONSTRAINT "EvaluationImage_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PredicateMetric" ADD CONSTRAINT "PredicateMetric_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "Evaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
