/**
 * Test doubles of Slurm's sbatch, squeue, sacct and scancel (the executables beside this file call it).
 * Jobs run at once on this machine: the script under bash in a process group of its own. State lives
 * in $FAKE_SLURM_DIR/<job id>/: argv.json (what sbatch was given), pid, exit (the script's exit code),
 * cancelled (scancel was called).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const state = process.env.FAKE_SLURM_DIR;
if (!state) {
  process.stderr.write("FAKE_SLURM_DIR is not set\n");
  process.exit(1);
}
mkdirSync(state, { recursive: true });
const [command, ...args] = process.argv.slice(2);
const jobDir = (id) => path.join(state, id);
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const running = (id) => existsSync(path.join(jobDir(id), "pid")) && !existsSync(path.join(jobDir(id), "exit")) && alive(Number(readFileSync(path.join(jobDir(id), "pid"), "utf8")));
const jobArg = () => args[args.indexOf("-j") + 1];

switch (command) {
  case "sbatch": {
    const script = args[args.length - 1];
    const id = String(100 + readdirSync(state).length);
    mkdirSync(jobDir(id));
    writeFileSync(path.join(jobDir(id), "argv.json"), JSON.stringify(args));
    const runner = spawn(process.execPath, [fileURLToPath(import.meta.url), "run-job", id, script], { detached: true, stdio: "ignore" });
    writeFileSync(path.join(jobDir(id), "pid"), String(runner.pid));
    runner.unref();
    process.stdout.write(args.includes("--parsable") ? `${id}\n` : `Submitted batch job ${id}\n`);
    break;
  }
  case "run-job": {
    const [id, script] = args;
    process.on("SIGTERM", () => {}); // outlive scancel to write the exit status
    const out = path.join(jobDir(id), "slurm.log");
    const job = spawn("bash", [script], { stdio: ["ignore", "pipe", "pipe"] });
    const log = [];
    job.stdout.on("data", (d) => log.push(d));
    job.stderr.on("data", (d) => log.push(d));
    job.on("exit", (code) => {
      writeFileSync(out, Buffer.concat(log));
      writeFileSync(path.join(jobDir(id), "exit"), String(code ?? 128));
      process.exit(0);
    });
    break;
  }
  case "squeue": {
    const id = jobArg();
    if (existsSync(jobDir(id)) && running(id)) process.stdout.write("RUNNING\n");
    break;
  }
  case "sacct": {
    const id = jobArg();
    if (!existsSync(jobDir(id))) break;
    if (running(id)) process.stdout.write("RUNNING\n");
    else if (existsSync(path.join(jobDir(id), "cancelled"))) process.stdout.write("CANCELLED by 0\n");
    else process.stdout.write(readFileSync(path.join(jobDir(id), "exit"), "utf8").trim() === "0" ? "COMPLETED\n" : "FAILED\n");
    break;
  }
  case "scancel": {
    const id = args[0];
    writeFileSync(path.join(jobDir(id), "cancelled"), "1");
    try {
      process.kill(-Number(readFileSync(path.join(jobDir(id), "pid"), "utf8")), "SIGTERM");
    } catch {
      // already gone
    }
    break;
  }
  default:
    process.stderr.write(`unknown command ${command}\n`);
    process.exit(1);
}
