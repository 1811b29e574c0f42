import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

const COMING_SOON = "Coming soon";

export default function HomePage() {
  return (
    <>
      <PageHeader title="SGG Workbench">
        <p>
          A workbench for teaching multimodal LLMs to write scene graphs: the objects in an image, their boxes, and
          the relations between them. It evaluates model outputs exactly like the R1-SGG reference, shows each
          prediction against the ground truth, and runs and compares SFT and GRPO training.
        </p>
      </PageHeader>

      <div className="card-grid">
        <Card title="Datasets">
          <p>
            Bring VG150 (Hugging Face parquet or the original release), PSG, or the sample data that ships with the
            project, and browse images with their ground-truth boxes and relations.
          </p>
          <p>
            <Link href="/datasets">Browse datasets →</Link>
          </p>
        </Card>
        <Card title="Predictions & evaluation">
          <p>
            Import predictions or run a model over a split; see failure rate, AP50, recall and mean recall with the
            protocol beside every number, and each image with predicted and ground-truth boxes and triplets.
          </p>
          <p>
            <Link href="/evaluations">Open evaluations →</Link>
          </p>
        </Card>
        <Card title="Training runs" badge={COMING_SOON}>
          <p>
            Start SFT or GRPO runs with graph-centric rewards, follow every reward component live, and inspect the
            completions of a GRPO group on the image.
          </p>
        </Card>
        <Card title="Compare">
          <p>
            Put checkpoints side by side: metric deltas, per-predicate recall, and the same image rendered for each.
          </p>
          <p>
            <Link href="/compare">Compare prediction sets →</Link>
          </p>
        </Card>
        <Card title="Command line" className="card-wide">
          <p>The scene-graph core also runs from a terminal in the repository root:</p>
          <pre className="command-list">
            <code>
              <span className="comment"># a seeded synthetic VG150 split to try things on</span>
              {"\n./bin/sgg generate --out var/demo --images 200\n\n"}
              <span className="comment"># score model completions with the R1-SGG rewards</span>
              {"\n./bin/sgg reward --input var/demo/cases.jsonl\n\n"}
              <span className="comment"># evaluate predictions: failure rate, AP50, recall, mean recall</span>
              {"\n./bin/sgg eval --gt var/demo/gt.jsonl --pred var/demo/predictions"}
            </code>
          </pre>
        </Card>
      </div>
    </>
  );
}
