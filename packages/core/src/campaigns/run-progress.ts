import type { CampaignRecord } from '../store/campaign-store';
import type { CampaignProgress, CampaignResult } from './campaign-options';

/**
 * What one call of a run reports: the first `maxResults` results kept for the returned report,
 * a tally per status, and every result streamed to `onProgress` once it is stored.
 */
export class RunProgress {
  /** The results kept for the report. */
  readonly results: CampaignResult[] = [];
  /** Whether results were left out of {@link RunProgress.results}. */
  truncated = false;
  /** Campaign records of the run known so far. */
  total: number;
  readonly #tally = { completed: 0, failed: 0, cancelled: 0, skipped: 0 };
  readonly #runId: string;
  readonly #maxResults: number;
  readonly #onProgress: ((progress: CampaignProgress) => void) | undefined;

  /**
   * @param runId - The run.
   * @param total - Records already stored.
   * @param maxResults - Results kept for the report.
   * @param onProgress - The caller's callback.
   */
  constructor(
    runId: string,
    total: number,
    maxResults: number,
    onProgress: ((progress: CampaignProgress) => void) | undefined,
  ) {
    this.#runId = runId;
    this.total = total;
    this.#maxResults = maxResults;
    this.#onProgress = onProgress;
  }

  /** Reports records whose final status was stored. */
  ended(records: readonly CampaignRecord[]): void {
    const results = records.map(resultOf);
    for (const result of results) {
      this.#tally[result.status]++;
      if (this.results.length < this.#maxResults) this.results.push(result);
      else this.truncated = true;
    }
    try {
      this.#onProgress?.({ runId: this.#runId, total: this.total, ...this.#tally, results });
    } catch {
      // A failing progress callback must not stop the run.
    }
  }
}

function resultOf(record: CampaignRecord): CampaignResult {
  return {
    customerId: record.customerId,
    campaignId: record.id,
    contentType: record.contentType,
    platform: record.platform,
    status: record.status as CampaignResult['status'],
    ...(record.content === null ? {} : { content: record.content }),
    ...(record.error === null ? {} : { error: record.error }),
    attempts: record.attempts,
  };
}
