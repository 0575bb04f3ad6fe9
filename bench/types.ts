export interface BenchResult {
  /** What was measured, e.g. "ingest→clean→segment→entities". */
  name: string;
  /** Throughput or latency value. */
  value: number;
  /** "articles/s", "MB/s", "ms p95" … */
  unit: string;
  /** The baseline measured in the same run, when there is one. */
  baseline?: { name: string; value: number };
  note?: string;
}
