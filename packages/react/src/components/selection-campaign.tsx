import type { CampaignRequest } from '@donutauto/core';
import { type ReactNode, useId } from 'react';
import { useCampaignGeneration } from '../hooks/use-campaign-generation';
import type { CampaignGenerationOptions } from '../stores/campaign-generation-session';

/** A campaign the customer list can generate for its selection. */
export interface CustomerListCampaign {
  /** What to generate: `title`, `contentTypes`, `platforms`, `instructions?` (the target is the selection). */
  readonly request: Omit<CampaignRequest, 'target'>;
  /** The generator and run options (`concurrency`, `retries`, …). */
  readonly options: CampaignGenerationOptions;
}

/** The list's "generate campaign for the selection" part: button, progress with cancel, summary, retry. */
export function SelectionCampaign(props: {
  readonly campaign: CustomerListCampaign;
  readonly selectedIds: readonly string[];
}): ReactNode {
  const run = useCampaignGeneration(props.campaign.options);
  const progressId = useId();
  const { title } = props.campaign.request;
  const count = props.selectedIds.length;
  const counts = run.report?.counts;
  const running = run.phase === 'running';
  return (
    <section data-part="campaign" aria-label="Campaign" data-phase={run.phase}>
      <button
        type="button"
        disabled={running || count === 0}
        onClick={() =>
          run.generate({ ...props.campaign.request, target: { customerIds: [...props.selectedIds] } })
        }
      >
        {count === 0
          ? `Select customers to generate “${title}”`
          : `Generate “${title}” for ${count} customers`}
      </button>
      {running && (
        <>
          <label htmlFor={progressId}>Campaign progress</label>
          <progress id={progressId} max={1} value={run.fraction ?? undefined} />
          <button type="button" onClick={run.cancel}>
            Cancel campaign
          </button>
        </>
      )}
      <p data-part="campaign-status" aria-live="polite">
        {running
          ? `Generating… ${run.progress?.completed ?? 0} of ${run.progress?.total ?? count} done`
          : counts && (run.phase === 'done' || run.phase === 'cancelled')
            ? `${run.phase === 'cancelled' ? 'Campaign cancelled' : 'Campaign generated'}: ${counts.completed} completed, ${counts.failed} failed, ${counts.cancelled} cancelled${counts.skipped ? `, ${counts.skipped} skipped (no consent)` : ''}.`
            : ''}
      </p>
      {run.phase === 'done' && counts !== undefined && counts.failed > 0 && (
        <button type="button" onClick={run.retryFailed}>
          {`Retry ${counts.failed} failed`}
        </button>
      )}
      {run.phase === 'failed' && run.error instanceof Error && (
        <p role="alert" data-part="error">{`Campaign not generated: ${run.error.message}`}</p>
      )}
    </section>
  );
}
