import { Command, CommanderError } from "commander";
import { InputFileError } from "../server/io/read-json-lines";
import { DatasetFileError } from "../server/ingest/source-record";
import { ExportError } from "../server/export/export-error";
import { PredictionSetExistsError } from "../server/predictions/import-predictions";
import { NotFoundError } from "../server/queries/find-split";
import { evalCommand } from "./commands/eval";
import { exportCommand } from "./commands/export";
import { generateCommand } from "./commands/generate";
import { ingestCommand } from "./commands/ingest";
import { evaluateCommand, importPredictionsCommand } from "./commands/predictions";
import { predictCommand } from "./commands/predict";
import { seedDemoCommand } from "./commands/seed-demo";
import { rewardCommand } from "./commands/reward";
import { userCommand } from "./commands/user";
import { workerCommand } from "./commands/worker";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes";

const program = new Command("sgg")
  .description("SGG Workbench command line: score and evaluate scene graphs exactly as the R1-SGG reference does.")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride()
  .addHelpText("after", EXIT_CODES_HELP)
  .addCommand(rewardCommand().exitOverride())
  .addCommand(evalCommand().exitOverride())
  .addCommand(generateCommand().exitOverride())
  .addCommand(ingestCommand().exitOverride())
  .addCommand(exportCommand().exitOverride())
  .addCommand(importPredictionsCommand().exitOverride())
  .addCommand(evaluateCommand().exitOverride())
  .addCommand(predictCommand().exitOverride())
  .addCommand(seedDemoCommand().exitOverride())
  .addCommand(workerCommand().exitOverride())
  .addCommand(userCommand().exitOverride());

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (e instanceof InputFileError || e instanceof DatasetFileError || e instanceof NotFoundError || e instanceof PredictionSetExistsError || e instanceof ExportError) {
    process.stderr.write(`sgg: ${e.message}\n`);
    process.exitCode = EXIT.input;
  } else {
    process.stderr.write(`sgg: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT.internal;
  }
}

// Database drivers can keep idle sockets open for seconds after the work is done; a finished command
// should not wait for them. stdout and stderr are synchronous for files and pipes here, so nothing is lost.
process.exit(process.exitCode ?? 0);
