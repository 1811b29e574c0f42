-- CreateIndex
CREATE UNIQUE INDEX "Checkpoint_runId_step_format_key" ON "Checkpoint"("runId", "step", "format");
