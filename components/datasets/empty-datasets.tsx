import styles from "./datasets.module.css";

/** First run: say how data gets in. */
export function EmptyDatasets() {
  return (
    <div className={styles.emptyState}>
      <h2>No datasets yet</h2>
      <p>Load the demo data, or ingest VG150 or PSG from the command line:</p>
      <pre>
        <code>{"./bin/sgg seed-demo\n./bin/sgg ingest --help"}</code>
      </pre>
    </div>
  );
}
